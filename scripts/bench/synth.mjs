// Figure 3: synthesizing one FLAG (3 zones, 6 cells) as a whole process,
// `kitt synth <dir> --out <tmp>`: wall time and peak RSS.
import { fs, path } from 'zx';
import { processFigures } from './figures.mjs';
import { kittArgs } from './kitt.mjs';
import { runRepeated, runTimed } from './measure.mjs';
import { createWorkspace, writeFlag } from './workspace.mjs';

const RUNS = 3;

export async function benchSynth({ repoRoot, env, log }) {
  const dir = await createWorkspace(repoRoot, 0);
  try {
    const flagDir = await writeFlag(dir, 0, { cellCount: 6 });
    const out = path.join(dir, 'bench.out');
    const args = kittArgs(dir, ['synth', flagDir, '--out', out]);
    await runTimed(args, { cwd: dir, env }); // warm-up (tsx's compile cache)
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
