// Figure 1: `kitt check` over 250 generated FLAGs, as a whole process.
import { fs } from 'zx';
import { processFigures } from './figures.mjs';
import { runRepeated, runTimed } from './measure.mjs';
import { createWorkspace } from './workspace.mjs';
import { kittArgs } from './kitt.mjs';

const FLAGS = 250;
const RUNS = 3;

export async function benchCheck({ repoRoot, env, log }) {
  log(`kitt check: generating ${FLAGS} FLAGs`);
  const dir = await createWorkspace(repoRoot, FLAGS);
  try {
    const args = kittArgs(dir, ['check']);
    await runTimed(args, { cwd: dir, env }); // warm-up: tsx compiles and caches the sources once
    log(`kitt check: ${RUNS} timed runs`);
    const measured = await runRepeated(RUNS, args, { cwd: dir, env });
    if (!measured.last.stdout.includes(`${FLAGS} FLAG(s) valid`))
      log(`kitt check: unexpected output:\n${measured.last.stdout.slice(-500)}`);
    return processFigures({
      key: 'check',
      name: `kitt check, ${FLAGS} FLAGs`,
      measured,
      runs: RUNS,
      wallTarget: { max: 1, text: '< 1 s on 2 cores' },
    });
  } finally {
    await fs.remove(dir);
  }
}
