#!/usr/bin/env node
// `npm run bench`: the speed and memory figures the issues ask for, measured
// on generated FLAGs with the real CLI and Nx. Prints `name: value (target)`
// lines and a closing table (or, with --json, machine-readable results).
// Figures are information: a missed target never fails the bench; a
// benchmarked command that fails does (exit 1).
import { os, path } from 'zx';
import { benchAffected } from './bench/affected.mjs';
import { benchAllocate } from './bench/allocate.mjs';
import { benchCellSynth } from './bench/cell-synth.mjs';
import { benchCheck } from './bench/check.mjs';
import { failed, formatLine, formatTable } from './bench/figures.mjs';
import { benchNxSynth } from './bench/nx-synth.mjs';
import { benchRender } from './bench/render.mjs';
import { benchStartup } from './bench/startup.mjs';
import { benchSynth } from './bench/synth.mjs';

const BENCHES = {
  startup: { run: benchStartup, title: 'kitt start-up' },
  check: { run: benchCheck, title: 'kitt check, 250 FLAGs' },
  allocate: { run: benchAllocate, title: 'planNetwork, one allocation' },
  synth: { run: benchSynth, title: 'kitt synth, one FLAG and 250 FLAGs' },
  cells: { run: benchCellSynth, title: 'synthesizeFlag, six cells and their addons, in-process' },
  nx: { run: benchNxSynth, title: 'nx run-many -t synth, 50 FLAGs' },
  affected: { run: benchAffected, title: 'kitt affected, 250 FLAGs' },
  render: { run: benchRender, title: 'kitt render, 10,000 changes' },
};

const USAGE = `Usage: npm run bench -- [--json] [--only NAME[,NAME...]]

Prints the benchmark figures (each as 'name: value (target)') and a table.

Options:
  --json       print the results as JSON on stdout (progress goes to stderr)
  --only LIST  run only these benches: ${Object.keys(BENCHES).join(', ')}
`;

/** Nx and Terraform settings every benchmarked command runs with: local, no daemon, no TUI, no network. */
const BENCH_ENV = {
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  CHECKPOINT_DISABLE: '1',
  AWS_EC2_METADATA_DISABLED: 'true',
};

function parseArgs(argv) {
  const options = { json: false, only: Object.keys(BENCHES) };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--json') options.json = true;
    else if (arg === '--help' || arg === '-h') usage(0);
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg === '--only' ? argv[(i += 1)] : arg.slice('--only='.length);
      options.only = (value ?? '').split(',').filter(Boolean);
      const unknown = options.only.filter((name) => !(name in BENCHES));
      if (options.only.length === 0 || unknown.length > 0) usage(2, `unknown bench '${unknown.join(', ') || value}'`);
    } else usage(2, `unknown option '${arg}'`);
  }
  return options;
}

function usage(code, problem) {
  if (problem) process.stderr.write(`bench: ${problem}\n\n`);
  (code === 0 ? process.stdout : process.stderr).write(USAGE);
  process.exit(code);
}

function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${os.release()}`,
    loadAverage: os.loadavg().map((load) => Number(load.toFixed(2))),
  };
}

const options = parseArgs(process.argv.slice(2));
const repoRoot = path.resolve(import.meta.dirname, '..');
const log = (message) => process.stderr.write(`… ${message}\n`);
const print = options.json ? () => undefined : (text) => process.stdout.write(`${text}\n`);
const before = machine();
print(
  `kitt bench on ${before.cpus} × ${before.cpuModel}, Node ${before.node}, load average ${before.loadAverage.join(' ')}\n`,
);

const results = [];
for (const name of options.only) {
  const bench = BENCHES[name];
  let figures;
  try {
    figures = await bench.run({ repoRoot, env: BENCH_ENV, log });
  } catch (error) {
    figures = [failed(name, bench.title, error.message)];
    process.stderr.write(`✗ ${bench.title}: ${error.message}\n`);
  }
  for (const result of figures) print(formatLine(result));
  results.push(...figures);
}

print(`\n${formatTable(results)}`);
if (options.json)
  process.stdout.write(
    `${JSON.stringify({ machine: before, loadAverageAfter: machine().loadAverage, results }, null, 2)}\n`,
  );
process.exitCode = results.some((result) => result.failed) ? 1 : 0;
