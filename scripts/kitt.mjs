#!/usr/bin/env node
// The `kitt` CLI. A thin entry: find the repository, load the compiled
// bundle (scripts/build.mjs: the build matching the sources, made first if the
// sources changed since; scripts/bundle-loader.mjs: with the code V8 compiled
// for this command last time), hand over. Should building fail, the
// TypeScript sources run through tsx, slower, with a note on stderr.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { UNBUNDLED_ENV, builtFile, cliBundle, ensureBuild } from './build.mjs';
import { requireBundle } from './bundle-loader.mjs';

const require = createRequire(import.meta.url);
const { runKitt } = await loadKitt(resolve(import.meta.dirname, '..'));

/** The gitops package, bundled (or only compiled, see UNBUNDLED_ENV); or its sources through tsx when no build can be made. */
async function loadKitt(codeRoot) {
  const bundled = process.env[UNBUNDLED_ENV] !== '1';
  let buildDir;
  try {
    buildDir = await ensureBuild(codeRoot, { bundled });
  } catch (error) {
    process.stderr.write(
      `kitt: cannot build (${String(error.message).split('\n')[0]}); running the sources through tsx\n`,
    );
    require('tsx/cjs/api').register();
    return require('@kitt/gitops');
  }
  if (!bundled) return require(builtFile(buildDir, 'packages/gitops/src/index.ts'));
  const { file, commands } = cliBundle(buildDir);
  const command = process.argv[2];
  const key = commands.includes(command) ? command : 'help';
  return requireBundle(file, { cacheDir: join(buildDir, 'cache'), key });
}

/** The repository root: the nearest directory above the working directory with an nx.json. */
function findRepositoryRoot(start) {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

process.exitCode = await runKitt(process.argv.slice(2), {
  cwd: findRepositoryRoot(process.cwd()),
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
