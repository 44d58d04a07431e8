#!/usr/bin/env node
// The `kitt` CLI. A thin entry: find the repository, load the compiled
// packages (scripts/build.mjs: the build matching the sources, made first if
// the sources changed since), hand over. Should building fail, the TypeScript
// sources run through tsx, slower, with a note on stderr.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { builtFile, ensureBuild } from './build.mjs';

const require = createRequire(import.meta.url);
const { runKitt } = await loadKitt(resolve(import.meta.dirname, '..'));

/** The gitops package, compiled; or its sources through tsx when no build can be made. */
async function loadKitt(codeRoot) {
  let buildDir;
  try {
    buildDir = await ensureBuild(codeRoot);
  } catch (error) {
    process.stderr.write(
      `kitt: cannot build (${String(error.message).split('\n')[0]}); running the sources through tsx\n`,
    );
    require('tsx/cjs/api').register();
    return require('@kitt/gitops');
  }
  return require(builtFile(buildDir, 'packages/gitops/src/index.ts'));
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
