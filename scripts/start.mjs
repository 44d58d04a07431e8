#!/usr/bin/env node
// `npm start`: the main job on the example FLAGs, offline. What a pull request
// gets in CI, minus terraform and GitHub: check, address plans, synthesis, and
// the plan record it would post (a preview) in out/plan-comment.md.
import { $, fs, path } from 'zx';

const root = path.resolve(import.meta.dirname, '..');
const kitt = ['node', path.join(root, 'scripts/kitt.mjs')];
$.verbose = false;
$.cwd = root;

/** Runs one kitt command, shows what it printed, and stops the job with its exit code when it fails. */
async function step(title, args) {
  console.log(`\n━━ ${title}\n$ kitt ${args.join(' ')}`);
  const result = await $`${kitt} ${args}`.quiet().nothrow();
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  if (result.exitCode !== 0) {
    console.error(`✗ kitt ${args[0]} failed (exit ${result.exitCode})`);
    process.exit(result.exitCode ?? 1);
  }
}

const flagDirs = (await fs.readdir(path.join(root, 'flags'), { recursive: true }))
  .filter((file) => path.basename(file) === 'flag.yaml')
  .map((file) => path.join('flags', path.dirname(file)))
  .sort();

await step('Validate every FLAG and the rules between them', ['check']);
for (const dir of flagDirs) await step(`Address plan of ${dir}`, ['network', dir]);
await step('Synthesize every FLAG with CDK for Terraform', ['synth', '--out', 'cdktf.out']);
await fs.remove(path.join(root, 'out/plans'));
await step('Plan preview (no terraform, no cloud)', [
  'plan',
  '--preview',
  ...flagDirs,
  '--synth-out',
  'cdktf.out',
  '--out',
  'out/plans',
]);
const summaries = (await fs.readdir(path.join(root, 'out/plans'), { recursive: true }))
  .filter((file) => path.basename(file) === 'summary.json')
  .map((file) => path.join('out/plans', file))
  .sort();
await step('The plan record a pull request would get', [
  'render',
  ...summaries,
  '--head',
  'local',
  '--out',
  'out/plan-comment.md',
]);
console.log(`\n✓ Done. The plan record is in out/plan-comment.md; the Terraform configs are in cdktf.out/.`);
