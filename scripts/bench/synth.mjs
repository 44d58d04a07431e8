// Synthesis: one FLAG (3 zones, 6 cells) as a whole process, `kitt synth <dir>
// --out <tmp>` (wall time and peak RSS); 250 FLAGs in one `kitt synth`, on one
// thread and on one worker thread per core; and where a stack's synthesis
// time goes (synth-phases.cjs, in-process on kitt's build).
import { $, fs, path } from 'zx';
import { figure, processFigures } from './figures.mjs';
import { kittArgs } from './kitt.mjs';
import { runRepeated, runTimed } from './measure.mjs';
import { createWorkspace, writeFlag } from './workspace.mjs';

const RUNS = 3;
const MANY = 250;
const PHASE_FLAGS = 25;
const PHASES = {
  construct: 'building the construct tree (our layers, cdktf constructors)',
  validate: "cdktf's validations",
  resolve: 'token resolution (toTerraform)',
  json: 'JSON serialization',
  write: 'file writes',
  synthOther: 'the rest of app.synth() (aspects, cross-stack references, manifest)',
  readBack: 'reading each config back for its hash and resource counts (ours)',
};
/** Spent inside the phases above, not beside them. */
const WITHIN = {
  creationStacks: "cdktf capturing each token's creation stack, within the above (left out of kitt's bundles)",
};

export async function benchSynth({ repoRoot, env, log }) {
  return [...(await oneFlag({ repoRoot, env, log })), ...(await manyFlags({ repoRoot, env, log }))];
}

async function oneFlag({ repoRoot, env, log }) {
  const dir = await createWorkspace(repoRoot, 0);
  try {
    const flagDir = await writeFlag(dir, 0, { cellCount: 6 });
    const out = path.join(dir, 'bench.out');
    const args = kittArgs(dir, ['synth', flagDir, '--out', out]);
    await runTimed(args, { cwd: dir, env }); // warm-up: the first call builds kitt for this workspace
    log(`kitt synth one FLAG: ${RUNS} timed runs`);
    const measured = await runRepeated(RUNS, args, { cwd: dir, env });
    const stacks = (await fs.readdir(path.join(out, 'c001-prod-us-east-1', 'stacks'))).length;
    return processFigures({
      key: 'synth',
      name: `kitt synth of one FLAG (6 cells, ${stacks} ${stacks === 1 ? 'stack' : 'stacks'}), whole process`,
      measured,
      runs: RUNS,
      wallTarget: { max: 0.8, text: '< 0.8 s on 2 cores' },
      rss: { target: { max: 250, text: '< 250 MB' } },
    });
  } finally {
    await fs.remove(dir);
  }
}

/** How many stacks a `kitt synth` wrote under `out`. */
async function stacksUnder(out) {
  let stacks = 0;
  for (const flag of await fs.readdir(out)) stacks += (await fs.readdir(path.join(out, flag, 'stacks'))).length;
  return stacks;
}

async function manyFlags({ repoRoot, env, log }) {
  log(`kitt synth: generating ${MANY} FLAGs`);
  const dir = await createWorkspace(repoRoot, MANY);
  try {
    await runTimed(kittArgs(dir, ['--help']), { cwd: dir, env }); // builds kitt for this workspace
    const figures = [];
    const outputs = {};
    for (const [label, workers] of [
      ['one thread', '1'],
      ['a worker thread per core', undefined],
    ]) {
      log(`kitt synth of ${MANY} FLAGs on ${label}`);
      const out = path.join(dir, `out-${workers ?? 'cores'}`);
      const runEnv = { ...env, ...(workers ? { KITT_SYNTH_WORKERS: workers } : {}) };
      const measured = await runTimed(kittArgs(dir, ['synth', '--out', out]), { cwd: dir, env: runEnv });
      outputs[label] = out;
      figures.push(
        ...processFigures({
          key: `synth.many.${workers ? 'serial' : 'parallel'}`,
          name: `kitt synth of ${MANY} FLAGs (${await stacksUnder(out)} stacks), ${label}`,
          measured,
          runs: 1,
          rss: {},
        }),
      );
    }
    const same = await $({ nothrow: true, quiet: true })`diff -r ${Object.values(outputs)}`;
    if (same.exitCode !== 0) throw new Error(`kitt synth wrote different output on worker threads:\n${same.stdout}`);

    log(`synthesis phases: ${PHASE_FLAGS} FLAGs in-process`);
    const { ensureBuild } = await import(path.join(dir, 'scripts', 'build.mjs'));
    const phasesScript = path.join(import.meta.dirname, 'synth-phases.cjs');
    const phases = JSON.parse(
      (await $({ quiet: true })`node ${phasesScript} ${dir} ${await ensureBuild(dir)} 2 ${PHASE_FLAGS}`).stdout,
    );
    const total = Object.keys(PHASES).reduce((sum, key) => sum + phases.perStack[key], 0);
    figures.push(
      figure({
        key: 'synth.stack',
        name: 'synthesis of one stack (flag and cell stacks of generated FLAGs), in-process, mean',
        value: total,
        unit: 'ms',
      }),
      ...Object.entries(PHASES).map(([key, text]) =>
        figure({ key: `synth.stack.${key}`, name: `… of which ${text}`, value: phases.perStack[key], unit: 'ms' }),
      ),
      ...Object.entries(WITHIN).map(([key, text]) =>
        figure({ key: `synth.stack.${key}`, name: `… ${text}`, value: phases.perStack[key], unit: 'ms' }),
      ),
    );
    return figures;
  } finally {
    await fs.remove(dir);
  }
}
