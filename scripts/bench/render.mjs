// Figure 6: `kitt render` of a generated 10,000-change plan (`terraform show
// -json`, format 1.2) into the PR comment Markdown (issue 4).
import { fs, os, path } from 'zx';
import { processFigures, skipped } from './figures.mjs';
import { hasKittCommand, kittArgs } from './kitt.mjs';
import { runRepeated, runTimed } from './measure.mjs';
import { generatedPlan } from './plan-json.mjs';

const CHANGES = 10_000;
const RUNS = 3;
const NAME = `kitt render, ${CHANGES.toLocaleString('en-US')}-change plan`;

export async function benchRender({ repoRoot, env, log }) {
  if (!(await hasKittCommand(repoRoot, 'render', env)))
    return [skipped('render.wall', NAME, 'this kitt has no render command yet')];
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kitt-bench-render-'));
  try {
    // Where `kitt plan` writes it: the path names the FLAG and the stack.
    const plan = path.join(dir, 'c001-prod-us-east-1', 'c001-prod-us-east-1-flag', 'plan.json');
    await fs.outputJson(plan, generatedPlan(CHANGES));
    const markdown = path.join(dir, 'plan-comment.md');
    const args = kittArgs(repoRoot, ['render', plan, '--out', markdown]);
    await runTimed(args, { cwd: repoRoot, env }); // warm-up (tsx's compile cache)
    log(`kitt render: ${RUNS} timed runs`);
    const measured = await runRepeated(RUNS, args, { cwd: repoRoot, env });
    const chars = (await fs.readFile(markdown, 'utf8')).length;
    const megabytes = (await fs.stat(plan)).size / 1e6;
    return processFigures({
      key: 'render',
      name: `${NAME} (${megabytes.toFixed(1)} MB → ${chars.toLocaleString('en-US')}-character comment)`,
      measured,
      runs: RUNS,
      wallTarget: { max: 1, text: '< 1 s on 2 cores' },
    });
  } finally {
    await fs.remove(dir);
  }
}
