// Synthesizing one FLAG with six cells (thirteen stacks: the flag stack, six
// cell stacks and six addons stacks) in-process, the packages loaded through
// tsx's CommonJS hook as scripts/kitt.mjs does: time per synthesis, the
// process's peak RSS, and the resources of one cell and one addons stack.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { path } from 'zx';
import { register } from 'tsx/cjs/api';
import { figure } from './figures.mjs';

const RUNS = 5;
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

/** A FLAG of three zones with both slots of every zone taken: six single-AZ cells. */
function sixCellFlag() {
  const cells = [1, 2].flatMap((slot) =>
    ZONES.map((zone) => `  - { name: ${zone.at(-1)}${slot}, zone: ${zone}, slot: ${slot} }`),
  );
  return [
    'customer: bench',
    'environment: prod',
    'region: us-east-1',
    'aws:',
    '  accountId: "111111111111"',
    'network:',
    '  vpcCidr: 10.0.0.0/16',
    `  zones: [${ZONES.join(', ')}]`,
    'topology: single-az',
    'cells:',
    ...cells,
    '',
  ].join('\n');
}

export async function benchCellSynth({ repoRoot, log }) {
  const tsx = register({ namespace: 'kitt-bench-cell-synth' });
  const { parseFlag, parseOrg } = tsx.require('@kitt/flag-config', import.meta.filename);
  // The package entry is the CLI only: take synthesis from its module.
  const { synthesizeFlag } = tsx.require('@kitt/gitops/src/synth/app', import.meta.filename);
  const flag = parseFlag(sixCellFlag(), 'flags/bench/prod/us-east-1/flag.yaml');
  const org = parseOrg(readFileSync(path.join(repoRoot, 'flags/org.yaml'), 'utf8'));
  const out = mkdtempSync(path.join(tmpdir(), 'kitt-bench-cell-synth-'));
  try {
    const first = synthesizeFlag(flag, org, out); // warm-up: module loading, JIT
    const cellStacks = first.stacks.filter((stack) => stack.layer === 'cell');
    const addonsStacks = first.stacks.filter((stack) => stack.layer === 'addons');
    if (first.stacks.length !== 13 || cellStacks.length !== 6 || addonsStacks.length !== 6)
      throw new Error(
        `expected 13 stacks with 6 cell and 6 addons stacks, got ${first.stacks.map((stack) => stack.name).join(', ')}`,
      );
    log(`synthesizeFlag, 6 cells in-process: ${RUNS} timed runs`);
    const times = [];
    for (let run = 0; run < RUNS; run += 1) {
      const started = performance.now();
      synthesizeFlag(flag, org, out);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const count = (stack) => Object.values(stack.resourceCounts).reduce((sum, n) => sum + n, 0);
    const name = 'synthesizeFlag of one FLAG (6 cells, 13 stacks), in-process';
    return [
      figure({
        key: 'cell-synth.wall',
        name: `${name}, wall time (median of ${RUNS})`,
        value: times[Math.floor(RUNS / 2)] / 1000,
        unit: 's',
        target: { max: 1, text: '< 1 s' },
      }),
      figure({
        key: 'cell-synth.rss',
        name: `${name}, peak RSS of the bench process`,
        value: process.resourceUsage().maxRSS / 1024,
        unit: 'MB',
        target: { max: 400, text: '< 400 MB' },
      }),
      figure({ key: 'cell-synth.resources', name: 'resources per cell stack', value: count(cellStacks[0]), unit: '' }),
      figure({
        key: 'cell-synth.addons-resources',
        name: 'resources per addons stack',
        value: count(addonsStacks[0]),
        unit: '',
      }),
    ];
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
