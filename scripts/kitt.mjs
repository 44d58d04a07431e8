#!/usr/bin/env node
// The `kitt` CLI. A thin entry: find the repository, load the TypeScript
// packages through tsx's CommonJS hook (no build step to go stale), hand over.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { register } from 'tsx/cjs/api';

register();
const require = createRequire(import.meta.url);
const { runKitt } = require('@kitt/gitops');

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
