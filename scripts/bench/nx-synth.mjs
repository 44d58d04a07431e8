// Figure 4: `nx run-many -t synth` over 50 generated FLAGs, cold (an empty Nx
// cache: the workspace is new) and cached (the same command again).
import { fs, path } from 'zx';
import { processFigures, skipped } from './figures.mjs';
import { runRepeated, runTimed } from './measure.mjs';
import { createWorkspace } from './workspace.mjs';

const FLAGS = 50;
const CACHED_RUNS = 3;
const NAME = `nx run-many -t synth, ${FLAGS} FLAGs`;

export async function benchNxSynth({ repoRoot, env, log }) {
  const missing = await missingPlugin(repoRoot);
  if (missing)
    return [skipped('nx.cold.wall', `${NAME}, cold`, missing), skipped('nx.cached.wall', `${NAME}, cached`, missing)];

  log(`nx run-many: generating ${FLAGS} FLAGs`);
  const dir = await createWorkspace(repoRoot, FLAGS);
  try {
    const args = ['npx', 'nx', 'run-many', '-t', 'synth'];
    log('nx run-many: cold run');
    const cold = await runTimed(args, { cwd: dir, env });
    await expectSynthesized(dir);
    log(`nx run-many: ${CACHED_RUNS} cached runs`);
    const cached = await runRepeated(CACHED_RUNS, args, { cwd: dir, env });
    return [
      ...processFigures({
        key: 'nx.cold',
        name: `${NAME}, cold (cache hits ${cacheHits(cold.stdout)})`,
        measured: cold,
        runs: 1,
        rss: {},
      }),
      ...processFigures({
        key: 'nx.cached',
        name: `${NAME}, cached (cache hits ${cacheHits(cached.last.stdout)})`,
        measured: cached,
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

/** A run that "succeeds" without writing every FLAG's output would be a meaningless figure. */
async function expectSynthesized(dir) {
  const out = path.join(dir, 'cdktf.out');
  const written = (await fs.pathExists(out)) ? (await fs.readdir(out)).length : 0;
  if (written !== FLAGS)
    throw new Error(`nx run-many -t synth wrote ${written} FLAG(s) to cdktf.out, expected ${FLAGS}`);
}

/** `50/50` from Nx's summary (`Cache: 50/50 hit`, or the older wording); '?' when it says neither. */
function cacheHits(stdout) {
  const modern = /Cache:\s+(\d+)\/(\d+) hit/.exec(stdout);
  if (modern) return `${modern[1]}/${modern[2]}`;
  const older = /for (\d+) out of (\d+) tasks/.exec(stdout);
  return older ? `${older[1]}/${older[2]}` : '?';
}
