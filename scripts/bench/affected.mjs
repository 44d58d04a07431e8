// Figure 5: `kitt affected --json` on a git repository of 250 FLAGs where one
// FLAG changed (a cell added) between base and head.
import { $, fs } from 'zx';
import { figure, processFigures, skipped } from './figures.mjs';
import { hasKittCommand, kittArgs } from './kitt.mjs';
import { runRepeated } from './measure.mjs';
import { createWorkspace, writeFlag } from './workspace.mjs';

const FLAGS = 250;
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
  log(`kitt affected: generating a git repository of ${FLAGS} FLAGs`);
  const dir = await createWorkspace(repoRoot, FLAGS);
  try {
    if (!(await hasKittCommand(dir, 'affected', env)))
      return [skipped('affected.wall', NAME, 'this kitt has no affected command yet')];
    const base = await commit(dir, 'base: 250 FLAGs');
    await writeFlag(dir, 0, { cellCount: 4 }); // FLAG c001 gets a fourth cell
    const head = await commit(dir, 'head: c001 gets a cell');

    log(`kitt affected: ${RUNS} timed runs`);
    const args = kittArgs(dir, ['affected', '--base', base, '--head', head, '--json']);
    const measured = await runRepeated(RUNS, args, { cwd: dir, env });
    const report = JSON.parse(measured.last.stdout);
    return [
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

async function commit(dir, message) {
  const git = $({ cwd: dir, quiet: true });
  if (!(await fs.pathExists(`${dir}/.git`))) await git`${GIT} init --quiet --initial-branch=main`;
  await git`${GIT} add --all`;
  await git`${GIT} commit --quiet --message ${message}`;
  return (await git`${GIT} rev-parse HEAD`).stdout.trim();
}
