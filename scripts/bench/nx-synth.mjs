// Figure 4: `nx run-many -t synth` over 50 generated FLAGs, cold (an empty Nx
// cache: the workspace is new, kitt already built as `npm ci` leaves it) and
// cached (the same command again): FLAGs of the flag layer only (the target),
// and FLAGs with their cells and every other layer the packages have.
import { fs, path } from 'zx';
import { processFigures, skipped } from './figures.mjs';
import { kittArgs } from './kitt.mjs';
import { runRepeated, runTimed } from './measure.mjs';
import { createWorkspace } from './workspace.mjs';

const FLAGS = 50;
const CACHED_RUNS = 3;
const NAME = `nx run-many -t synth, ${FLAGS} FLAGs`;
const VARIANTS = [
  { key: 'nx', label: 'flag layer only', flagOptions: { cellCount: 0 }, coldTarget: 10, cached: true },
  { key: 'nx.all', label: 'every layer', flagOptions: undefined, coldTarget: undefined, cached: false },
];

export async function benchNxSynth({ repoRoot, env, log }) {
  const missing = await missingPlugin(repoRoot);
  if (missing)
    return [skipped('nx.cold.wall', `${NAME}, cold`, missing), skipped('nx.cached.wall', `${NAME}, cached`, missing)];
  const figures = [];
  for (const variant of VARIANTS) figures.push(...(await benchVariant({ repoRoot, env, log }, variant)));
  return figures;
}

async function benchVariant({ repoRoot, env, log }, { key, label, flagOptions, coldTarget, cached }) {
  log(`nx run-many (${label}): generating ${FLAGS} FLAGs`);
  const dir = await createWorkspace(repoRoot, FLAGS, flagOptions);
  try {
    await runTimed(kittArgs(dir, ['--help']), { cwd: dir, env }); // builds kitt, as npm ci does
    const args = ['npx', 'nx', 'run-many', '-t', 'synth'];
    log(`nx run-many (${label}): cold run`);
    const cold = await runTimed(args, { cwd: dir, env });
    const stacks = await expectSynthesized(dir);
    const figures = processFigures({
      key: `${key}.cold`,
      name: `${NAME} (${label}, ${stacks} stacks), cold (cache hits ${cacheHits(cold.stdout)})`,
      measured: cold,
      runs: 1,
      ...(coldTarget ? { wallTarget: { max: coldTarget, text: `< ${coldTarget} s on 2 cores` } } : {}),
      rss: {},
    });
    if (!cached) return figures;
    log(`nx run-many (${label}): ${CACHED_RUNS} cached runs`);
    const again = await runRepeated(CACHED_RUNS, args, { cwd: dir, env });
    return [
      ...figures,
      ...processFigures({
        key: `${key}.cached`,
        name: `${NAME} (${label}), cached (cache hits ${cacheHits(again.last.stdout)})`,
        measured: again,
        runs: CACHED_RUNS,
        wallTarget: { max: 5, text: '< 5 s on 2 cores' },
        rss: {},
      }),
    ];
  } finally {
    await fs.remove(dir);
  }
}

/** Why the FLAG projects cannot exist yet, or undefined when nx.json registers a plugin whose file is there. */
async function missingPlugin(repoRoot) {
  const nxJson = await fs.readJson(path.join(repoRoot, 'nx.json'));
  const plugins = (nxJson.plugins ?? []).map((plugin) => (typeof plugin === 'string' ? plugin : plugin.plugin));
  const local = plugins.find((plugin) => plugin.includes('flag-config'));
  if (!local) return 'nx.json registers no FLAG plugin (packages/flag-config/src/nx)';
  if (!(await fs.pathExists(path.join(repoRoot, local)))) return `the FLAG Nx plugin ${local} does not exist yet`;
  return undefined;
}

/** A run that "succeeds" without writing every FLAG's output would be a meaningless figure; returns the stacks written. */
async function expectSynthesized(dir) {
  const out = path.join(dir, 'cdktf.out');
  const written = (await fs.pathExists(out)) ? await fs.readdir(out) : [];
  if (written.length !== FLAGS)
    throw new Error(`nx run-many -t synth wrote ${written.length} FLAG(s) to cdktf.out, expected ${FLAGS}`);
  let stacks = 0;
  for (const flag of written) stacks += (await fs.readdir(path.join(out, flag, 'stacks'))).length;
  return stacks;
}

/** `50/50` from Nx's summary (`Cache: 50/50 hit`, or the older wording); `0/N` when it ran N tasks and names no hit. */
function cacheHits(stdout) {
  const modern = /Cache:\s+(\d+)\/(\d+) hit/.exec(stdout);
  if (modern) return `${modern[1]}/${modern[2]}`;
  const older = /for (\d+) out of (\d+) tasks/.exec(stdout);
  if (older) return `${older[1]}/${older[2]}`;
  const ran = /Successfully ran target \S+ for (\d+) projects?/.exec(stdout);
  return ran ? `0/${ran[1]}` : '?';
}
