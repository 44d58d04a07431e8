import * as path from 'node:path';
import { defineCommand } from '../command';
import { shownPath } from '../shown-path';

export const synthCommand = defineCommand({
  name: 'synth',
  usage: `Usage: kitt synth [flag-dir...] [--out DIR]

Synthesizes every FLAG (or the ones named), one cdktf App per FLAG, on worker
threads: one per core, each with two FLAGs at least (KITT_SYNTH_WORKERS=N sets
how many; 1 for none):
  DIR/<flag-id>/manifest.json                 the stacks and their dependencies
  DIR/<flag-id>/stacks/<stack>/cdk.tf.json    one Terraform root module per stack
The output depends only on the FLAG and flags/org.yaml and is byte-identical
across runs. Every FLAG is validated first (as kitt check does, without the
rules between FLAGs): if any is invalid, nothing is written; nor is it when
one fails to synthesize. Prints, per stack, its resources by type.

Options:
  --out DIR  output directory (default: cdktf.out)

Examples:
  kitt synth
  kitt synth flags/payments/prod/us-east-1 --out /tmp/cdktf.out
`,
  options: { out: { type: 'string', default: 'cdktf.out' } },
  positionals: { min: 0, max: Number.MAX_SAFE_INTEGER },
  async run({ values, positionals }, ctx) {
    const outDir = path.resolve(ctx.cwd, values.out);
    const dirs = positionals.length > 0 ? [...positionals] : undefined;
    const { synthesizeFlags, renderSynthSummary, workerCountOf } = loadSynth();
    const workers = workerCountOf(ctx.env);
    const results = await synthesizeFlags(ctx.cwd, { dirs, outDir, ...(workers ? { workers } : {}) });
    for (const result of results) ctx.stdout(renderSynthSummary(result, shownPath(ctx.cwd, result.outDir)));
    const stacks = results.reduce((sum, result) => sum + result.stacks.length, 0);
    ctx.stdout(`✓ ${results.length} FLAG(s), ${stacks} stack(s) synthesized into ${shownPath(ctx.cwd, outDir)}\n`);
    return 0;
  },
});

/**
 * The synthesis modules, required on first use and not at the top: cdktf and the provider classes
 * cost hundreds of milliseconds, which `kitt --help` (it loads every command) should not pay.
 * `require`, not `import()`: under tsx's CommonJS hook a dynamic import goes to Node's ESM loader,
 * which does not resolve extensionless TypeScript paths.
 */
function loadSynth(): typeof import('../../synth/repository') &
  typeof import('../../synth/summary') &
  typeof import('../../synth/worker-pool') {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return {
    ...require('../../synth/repository'),
    ...require('../../synth/summary'),
    ...require('../../synth/worker-pool'),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}
