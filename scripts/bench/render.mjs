// Figure 6: `kitt render` of a generated 10,000-change plan (`terraform show
// -json`, format 1.2) into the PR comment Markdown; and of a 3,000-stack record
// (a change to every FLAG: five stacks with changes, one destroy, the rest
// without), which takes several comments.
import { fs, os, path } from 'zx';
import { processFigures, skipped } from './figures.mjs';
import { hasKittCommand, kittArgs } from './kitt.mjs';
import { runRepeated, runTimed } from './measure.mjs';
import { generatedPlan } from './plan-json.mjs';

const CHANGES = 10_000;
const RUNS = 3;
const NAME = `kitt render, ${CHANGES.toLocaleString('en-US')}-change plan`;
const STACKS = 3_000;
const STACKS_NAME = `kitt render, ${STACKS.toLocaleString('en-US')}-stack record`;
const CELLS = ['a', 'b', 'c', 'd', 'e', 'f'];

/** How many comments a rendered record takes: one, or one per hidden part separator. */
function partsOf(markdown) {
  return Math.max(1, (markdown.match(/^<!-- kitt:plan-part \d+\/\d+ -->$/gm) ?? []).length);
}

/** A `terraform show -json` plan of the given changes (none: a stack without changes). */
function smallPlan(changes) {
  return {
    format_version: '1.2',
    terraform_version: '1.11.4',
    resource_changes: changes.map(([address, actions]) => ({
      address,
      mode: 'managed',
      type: address.split('.')[0],
      name: address.split('.')[1],
      change: {
        actions,
        before: actions.includes('create') && actions.length === 1 ? null : { id: address, tags: { v: '1' } },
        after: actions.includes('delete') && actions.length === 1 ? null : { id: address, tags: { v: '2' } },
        after_unknown: {},
        before_sensitive: {},
        after_sensitive: {},
      },
    })),
    errored: false,
    complete: true,
    applyable: changes.length > 0,
  };
}

/** Writes the plans of a 3,000-stack record into `dir`; returns their paths relative to it. */
async function writeRecordPlans(dir) {
  const files = [];
  for (let f = 1; files.length < STACKS; f += 1) {
    const flagId = `c${String(f).padStart(3, '0')}-prod-us-east-1`;
    const stacks = [
      `${flagId}-flag`,
      ...CELLS.map((c) => `${flagId}-cell-${c}`),
      ...CELLS.map((c) => `${flagId}-addons-${c}`),
    ];
    for (const stack of stacks.slice(0, STACKS - files.length)) {
      const i = files.length;
      const changes =
        i === 1_600
          ? [['aws_subnet.worker_a', ['delete']]]
          : i % 600 === 0
            ? [
                ['aws_launch_template.node', ['update']],
                ['aws_iam_role_policy.node', ['create']],
              ]
            : [];
      // `<stack>.json`, relative to the record's directory: 3,000 paths must fit in one shell argument (128 KiB).
      await fs.outputJson(path.join(dir, `${stack}.json`), smallPlan(changes));
      files.push(`${stack}.json`);
    }
  }
  return files;
}

async function benchRecord({ repoRoot, env, log }) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kitt-bench-record-'));
  try {
    const files = await writeRecordPlans(dir);
    const markdown = path.join(dir, 'plan-comment.md');
    const args = kittArgs(repoRoot, [
      'render',
      ...files,
      '--out',
      markdown,
      '--summary-out',
      path.join(dir, 'summary.md'),
    ]);
    await runTimed(args, { cwd: dir, env });
    log(`kitt render of ${STACKS} stacks: ${RUNS} timed runs`);
    const measured = await runRepeated(RUNS, args, { cwd: dir, env });
    const text = await fs.readFile(markdown, 'utf8');
    const parts = partsOf(text);
    const summary = (await fs.readFile(path.join(dir, 'summary.md'), 'utf8')).length;
    const size = `${text.length.toLocaleString('en-US')} characters in ${parts} comment(s), job summary ${summary.toLocaleString('en-US')}`;
    return processFigures({
      key: 'render-record',
      name: `${STACKS_NAME} (${size})`,
      measured,
      runs: RUNS,
    });
  } finally {
    await fs.remove(dir);
  }
}

export async function benchRender({ repoRoot, env, log }) {
  if (!(await hasKittCommand(repoRoot, 'render', env)))
    return [skipped('render.wall', NAME, 'this kitt has no render command yet')];
  return [...(await benchPlan({ repoRoot, env, log })), ...(await benchRecord({ repoRoot, env, log }))];
}

async function benchPlan({ repoRoot, env, log }) {
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
    const text = await fs.readFile(markdown, 'utf8');
    const comments = partsOf(text);
    const megabytes = (await fs.stat(plan)).size / 1e6;
    return processFigures({
      key: 'render',
      name: `${NAME} (${megabytes.toFixed(1)} MB → ${text.length.toLocaleString('en-US')} characters in ${comments} comment(s))`,
      measured,
      runs: RUNS,
      wallTarget: { max: 1, text: '< 1 s on 2 cores' },
    });
  } finally {
    await fs.remove(dir);
  }
}
