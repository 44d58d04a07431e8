#!/usr/bin/env node
// `npm start`: the main job on the example FLAGs, offline. What a pull request
// gets in CI, minus terraform and GitHub: check, address plans, synthesis, and
// the plan record it would post (preview) in out/plan-comment.md.
import { $, fs, path } from 'zx';

$.verbose = false;
const root = path.resolve(import.meta.dirname, '..');
const kitt = ['node', path.join(root, 'scripts/kitt.mjs')];
cd(root);

function cd(dir) {
  $.cwd = dir;
}

async function step(title, args) {
  console.log(`\n━━ ${title}\n$ kitt ${args.join(' ')}`);
  const result = await $`${kitt} ${args}`.nothrow();
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  if (result.exitCode !== 0) {
    console.error(`✗ kitt ${args[0]} failed (exit ${result.exitCode})`);
    process.exit(result.exitCode ?? 1);
  }
  return result;
}

const flagDirs = (await fs.readdir(path.join(root, 'flags'), { recursive: true }))
  .filter((file) => file.endsWith('flag.yaml'))
  .map((file) => path.join('flags', path.dirname(file)))
  .sort();

await step('Validate every FLAG and the rules between them', ['check']);
for (const dir of flagDirs) {
  await step(`Address plan of ${dir}`, ['network', dir]);
}
