// Figure 5: `kitt affected --json` on a git repository of 250 FLAGs of six
// cells each, every layer the packages have (addons too, once they exist):
// one FLAG changed (a cell added) between base and head; then a change to
// shared code that changes no synthesized config (every FLAG synthesized at
// both commits), and the same again with the base's configs in Nx's cache.
import { $, fs, path } from 'zx';
import { figure, megabytes, processFigures, skipped } from './figures.mjs';
import { hasKittCommand, kittArgs } from './kitt.mjs';
import { runRepeated } from './measure.mjs';
import { createWorkspace, writeFlag } from './workspace.mjs';

const FLAGS = 250;
const CELLS = 6;
const RUNS = 3;
const NAME = `kitt affected --json, ${FLAGS} FLAGs, 1 changed`;
/** A throw-away identity: the bench never reads the user's git config for commits. */
const GIT = [
  'git',
  '-c',
  'user.name=kitt bench',
  '-c',
  'user.email=bench@kitt.invalid',
  '-c',
  'commit.gpgsign=false',
  '-c',
  'core.hooksPath=/dev/null',
];

export async function benchAffected({ repoRoot, env, log }) {
  log(`kitt affected: generating a git repository of ${FLAGS} FLAGs of ${CELLS} cells`);
  const dir = await createWorkspace(repoRoot, FLAGS, { cellCount: CELLS });
  try {
    if (!(await hasKittCommand(dir, 'affected', env)))
      return [skipped('affected.wall', NAME, 'this kitt has no affected command yet')];
    const layers = await stacksOfOneFlag(dir, env);
    await writeFlag(dir, 0, { cellCount: CELLS - 1 });
    const base = await commit(dir, `base: ${FLAGS} FLAGs`);
    await writeFlag(dir, 0, { cellCount: CELLS }); // FLAG c001 gets its sixth cell
    const head = await commit(dir, 'head: c001 gets a cell');

    log(`kitt affected: ${RUNS} timed runs`);
    const args = kittArgs(dir, ['affected', '--base', base, '--head', head, '--json']);
    const measured = await runRepeated(RUNS, args, { cwd: dir, env });
    const report = JSON.parse(measured.last.stdout);

    // A change to shared code that changes no synthesized config: every FLAG is synthesized at both commits.
    const layer = `${dir}/packages/flag-layer/src/index.ts`;
    await fs.appendFile(layer, '// A comment: shared code changed, no synthesized config did.\n');
    const shared = await commit(dir, 'head: a comment in the flag layer');
    // As in CI, where `npm ci` builds kitt (prepare) before `kitt affected` runs: the build is not the figure.
    await $({ cwd: dir, env: { ...process.env, ...env }, quiet: true })`node scripts/build.mjs`;
    log(`kitt affected: shared code changed, ${FLAGS} FLAGs synthesized at both commits`);
    const sharedArgs = kittArgs(dir, ['affected', '--base', head, '--head', shared, '--json']);
    const sharedRun = await runRepeated(1, sharedArgs, { cwd: dir, env });
    const sharedReport = JSON.parse(sharedRun.last.stdout);
    const sharedName = `kitt affected --json, ${FLAGS} FLAGs × ${layers}, shared code changed (${sharedReport.flags.length} FLAGs synthesized at both commits, ${sharedReport.stacks.length} stacks to plan)`;

    // The same comparison again: both commits' configs are in Nx's cache now (as the plan workflow restores it).
    log('kitt affected: the same again, both commits in the Nx cache');
    const reusedRun = await runRepeated(1, sharedArgs, { cwd: dir, env });
    return [
      ...processFigures({
        key: 'affected.shared',
        name: sharedName,
        measured: sharedRun,
        runs: 1,
        wallTarget: { max: 90, text: '< 90 s on 2 cores' },
        rss: {},
      }),
      figure({
        key: 'affected.shared.rssTree',
        name: `${sharedName}, the most RSS its processes held at once (sampled every second)`,
        value: megabytes(sharedRun.rssTreeKiB),
        unit: 'MB',
        target: { max: 1500, text: '< 1.5 GB' },
      }),
      figure({
        key: 'affected.shared.rssSum',
        name: `${sharedName}, peak RSS of every process summed (more than ran at once)`,
        value: megabytes(sharedRun.rssSumKiB),
        unit: 'MB',
      }),
      ...processFigures({
        key: 'affected.reused',
        name: `kitt affected --json, ${FLAGS} FLAGs, shared code changed, run again (base and head from the Nx cache)`,
        measured: reusedRun,
        runs: 1,
        rss: {},
      }),
      ...processFigures({
        key: 'affected',
        name: NAME,
        measured,
        runs: RUNS,
        wallTarget: { max: 5, text: '< 5 s on 2 cores' },
      }),
      figure({
        key: 'affected.flags',
        name: `${NAME}, FLAGs synthesized (at head and at base)`,
        value: report.flags.length,
        unit: '',
      }),
      figure({ key: 'affected.stacks', name: `${NAME}, stacks to plan`, value: report.stacks.length, unit: '' }),
    ];
  } finally {
    await fs.remove(dir);
  }
}

/** What one generated FLAG synthesizes into: `7 stacks (flag, cell)`, with the layers the packages have. */
async function stacksOfOneFlag(dir, env) {
  const out = path.join(dir, 'bench-one.out');
  try {
    await runRepeated(1, kittArgs(dir, ['synth', 'flags/c001/prod/us-east-1', '--out', out]), { cwd: dir, env });
    const manifest = await fs.readJson(path.join(out, 'c001-prod-us-east-1', 'manifest.json'));
    const stacks = Object.values(manifest.stacks ?? {});
    const layers = [...new Set(stacks.map((stack) => stack.name.replace(/^c001-prod-us-east-1-/, '').split('-')[0]))];
    return `${stacks.length} stacks (${layers.join(', ')})`;
  } finally {
    await fs.remove(out);
  }
}

async function commit(dir, message) {
  const git = $({ cwd: dir, quiet: true });
  if (!(await fs.pathExists(`${dir}/.git`))) await git`${GIT} init --quiet --initial-branch=main`;
  await git`${GIT} add --all`;
  await git`${GIT} commit --quiet --message ${message}`;
  return (await git`${GIT} rev-parse HEAD`).stdout.trim();
}
