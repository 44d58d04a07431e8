/**
 * The whole journey of a brand-new FLAG, with kitt's own commands as the workflows run them: kitt affected, kitt
 * plan, kitt render and kitt comment post the plan record of the pull request; kitt apply applies its flag stack on
 * merge and posts the cells' plans; `kitt apply --approve` applies them and posts the addons' plans (once the cell's
 * API is ready, through the tunnel); a second approval applies those; a final kitt plan shows no changes. Real git,
 * kitt's synthesis, the stand-in terraform keeping state, the stand-in aws and a fake Kubernetes API, the fake GitHub.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createCommentCommand } from '../cli/commands/comment';
import { createApplyCommand } from '../cli/commands/apply';
import { runKittIn, type KittRun } from '../cli/__fixtures__/run-kitt';
import { commandLoaders, type CommandLoaders } from '../cli/registry';
import { FakeKubeApi } from '../cluster-access/__fixtures__/fake-kube-api';
import { StandInAws, waitUntilGone } from '../cluster-access/__fixtures__/stand-in-aws';
import { makePki } from '../cluster-access/__fixtures__/tls';
import { readPlanRecordMarker } from '../github/plan-record-body';
import type { StackResult } from '../plan/record';
import { REPO_FLAG } from '../terraform/__fixtures__/stand-in';
import { ApplyJourney, AUTHOR, FLAG_ID, KITT, STACKS } from './__fixtures__/journey';

const PR = 7;
const WORKSPACE = resolve(__dirname, '../../../..');
const APPROVER = 'carol';
const APPLY_WORKFLOW = '.github/workflows/apply.yml';
const API_HOST = `api.a1.${FLAG_ID}.kitt.example.com`;

let journey: ApplyJourney;
let aws: StandInAws;
let api: FakeKubeApi;
let runId = 5100;

afterEach(async () => {
  await api?.close();
  aws?.dispose();
  await journey?.close();
});

/** kitt's commands, with GitHub clients on the fake; the rest exactly as registered. */
function loaders(): CommandLoaders {
  const client = () => journey.github.client();
  const replaced: Record<string, () => ReturnType<CommandLoaders[number]['load']>> = {
    apply: () => createApplyCommand({ createClient: client }),
    comment: () => createCommentCommand({ createClient: client }),
  };
  return commandLoaders.map((entry) => (replaced[entry.name] ? { ...entry, load: replaced[entry.name] } : entry));
}

/** `kitt <args>` in the repository as a workflow step runs it: GitHub's variables, the stand-in aws on PATH's place. */
async function kitt(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<KittRun> {
  const run = await runKittIn(args, {
    cwd: journey.repoDir,
    env: {
      ...journey.env,
      ...aws.env({ STAND_IN_AWS_FORWARD_TO: new URL(api.url).port, STAND_IN_AWS_PARAMETER: join(aws.dir, 'ca.crt') }),
      PATH: journey.env.PATH,
      GITHUB_TOKEN: 'test-token',
      GITHUB_REPOSITORY: 'acme/infra',
      GITHUB_API_URL: journey.github.baseUrl,
      KITT_COMMENT_AUTHOR: KITT.login,
      ...env,
    },
    loaders: loaders(),
  });
  return run;
}

/** Exit 0 and no error (kitt render says on stderr what it wrote, so that stdout stays the Markdown). */
function expectSuccess(run: KittRun): void {
  expect({ code: run.code, stderr: run.stderr.includes('✗') ? run.stderr : '' }).toEqual({ code: 0, stderr: '' });
}

/** Every file under `dir` named `name`, as paths relative to `dir`. */
function filesNamed(dir: string, name: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith(name)).sort();
}

/** plan.yml and record.yml for the pull request's head: affected, plan, summaries as the run's artifact, render, comment. */
async function planAndRecord(base: string, head: string): Promise<StackResult[]> {
  const id = runId++;
  const work = join(journey.root, `plan-run-${id}`);
  mkdirSync(work, { recursive: true });
  const affected = await kitt(['affected', '--detector', 'paths', '--base', base, '--head', head, '--json']);
  expectSuccess(affected);
  writeFileSync(join(work, 'affected.json'), affected.stdout);
  const plans = join(work, 'plans');
  const plan = await kitt(
    [
      'plan',
      '--affected',
      '--stacks-file',
      join(work, 'affected.json'),
      REPO_FLAG.dir,
      '--out',
      plans,
      '--head',
      head,
      '--base',
      base,
    ],
    { GITHUB_RUN_ID: String(id) },
  );
  expectSuccess(plan);
  const summaries = filesNamed(plans, 'summary.json');
  journey.actions.addRun({ id, headSha: head });
  journey.actions.addArtifact(
    id,
    `plan-summaries-${FLAG_ID}`,
    Object.fromEntries(summaries.map((f) => [f, readFileSync(join(plans, f), 'utf8')])),
  );
  const markdown = join(work, 'plan-comment.md');
  const render = await kitt([
    'render',
    ...['--head', head, '--base', base, '--run-id', String(id)],
    ...['--out', markdown, '--metadata-out', join(work, 'plan-record.json'), '--'],
    ...summaries.map((f) => join(plans, f)),
  ]);
  expectSuccess(render);
  expectSuccess(await kitt(['comment', '--pr', String(PR), '--body-file', markdown, '--head', head]));
  return summariesIn(plans);
}

function summariesIn(dir: string): StackResult[] {
  return filesNamed(dir, 'summary.json').map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as StackResult);
}

function statuses(results: readonly StackResult[]): Record<string, string> {
  return Object.fromEntries(results.map((r) => [r.stack, r.status]));
}

/** apply.yml's job: `kitt apply` (or `--approve`) in a run GitHub knows, its apply record uploaded as the artifact. */
async function applyRun(
  args: readonly string[],
  run: { event: 'push' | 'workflow_dispatch'; actor?: string },
): Promise<KittRun> {
  const id = runId++;
  const head = journey.git('rev-parse', 'HEAD');
  journey.actions.addRun({ id, headSha: head, path: APPLY_WORKFLOW, event: run.event });
  const recordOut = join(journey.root, `apply-record-${id}`);
  const result = await kitt(['apply', ...args, '--flag', REPO_FLAG.dir, '--record-out', recordOut], {
    GITHUB_SHA: head,
    GITHUB_RUN_ID: String(id),
    GITHUB_EVENT_NAME: run.event,
    ...(run.actor ? { GITHUB_ACTOR: run.actor } : {}),
  });
  if (!existsSync(recordOut)) return result; // nothing applied nor planned: no artifact (if-no-files-found: ignore)
  const files = readdirSync(recordOut, { withFileTypes: true }).filter((f) => f.isFile() && f.name.endsWith('.json'));
  journey.actions.addArtifact(
    id,
    `apply-record-${FLAG_ID}`,
    Object.fromEntries(files.map((f) => [f.name, readFileSync(join(recordOut, f.name), 'utf8')])),
  );
  return result;
}

/** kitt's comments on the pull request posted since `since` of them, by what their first line says. */
function commentsSince(since: number): { id: number; author: string; kind: string; body: string }[] {
  return journey.github
    .commentsOn(PR)
    .slice(since)
    .map((c) => ({
      id: c.id,
      author: c.author.login,
      kind: /^<!-- kitt:([a-z-]+)/.exec(c.body)?.[1] ?? 'other',
      body: c.body,
    }));
}

function appliedSince(before: number): string[] {
  return journey.appliedStacks().slice(before);
}

/**
 * `scripts/kitt.mjs` in the repository, which kitt affected runs in each side's tree to synthesize it: this
 * workspace's kitt (the repository holds FLAGs, not kitt's packages).
 */
function withKittOfWorkspace(): void {
  mkdirSync(join(journey.repoDir, 'scripts'), { recursive: true });
  writeFileSync(
    join(journey.repoDir, 'scripts', 'kitt.mjs'),
    [
      "import { spawnSync } from 'node:child_process';",
      `const kitt = ${JSON.stringify(join(WORKSPACE, 'scripts', 'kitt.mjs'))};`,
      "const { status } = spawnSync(process.execPath, [kitt, ...process.argv.slice(2)], { stdio: 'inherit' });",
      'process.exitCode = status ?? 1;',
      '',
    ].join('\n'),
  );
}

/** The stand-in terraform's commands, as `<command> <stack>`, since `before` of them. */
function terraformCallsSince(before: number): string[] {
  return journey
    .calls()
    .slice(before)
    .map((c) => `${c.args[0]} ${relative(journey.root, c.cwd).split('/').at(-1)}`);
}

it('takes a brand-new FLAG from its pull request through three approvals to a plan without changes', async () => {
  journey = await ApplyJourney.start(undefined, { withoutFlag: true });
  withKittOfWorkspace();
  journey.setApprovers([APPROVER, AUTHOR.login]);
  const pki = makePki([API_HOST]);
  aws = new StandInAws();
  writeFileSync(join(aws.dir, 'ca.crt'), pki.caPem);
  api = await new FakeKubeApi(`k8s-aws-v1.stand-in-${FLAG_ID}-a1`).start(pki);
  const base = journey.git('rev-parse', 'HEAD');

  // The pull request: a new FLAG. Its flag stack plans; the cell and its addons wait on it.
  journey.git('checkout', '--quiet', '-b', 'add-flag');
  journey.addFlag();
  const head = journey.commit('Add the FLAG');
  journey.github.setPullRequest({ number: PR, headSha: head, author: AUTHOR.login });
  const planned = await planAndRecord(base, head);
  expect(statuses(planned)).toEqual({ [STACKS.flag]: 'changes', [STACKS.cellA1]: 'waits', [STACKS.addonsA1]: 'waits' });
  const [record] = commentsSince(0);
  expect(record).toMatchObject({ author: KITT.login, kind: 'plan-record' });
  expect(readPlanRecordMarker(record?.body)).toEqual({ head });
  expect(journey.calls().filter((c) => c.args[0] === 'apply')).toEqual([]);

  // Approved and merged: the flag stack applies; the cell, planned now for the first time, goes for approval.
  journey.approve(PR);
  const merge = journey.merge(PR, 'add-flag');
  const onMerge = await applyRun([], { event: 'push' });
  expectSuccess(onMerge);
  expect(onMerge.stdout).toContain(`✓ ${STACKS.flag}: applied\n`);
  expect(onMerge.stdout).toContain(`! 1 stack(s) need approval: their plans are posted on #${PR}\n`);
  expect(journey.appliedStacks()).toEqual([STACKS.flag]);
  const afterMerge = commentsSince(1);
  expect(afterMerge.map((c) => [c.author, c.kind])).toEqual([
    [KITT.login, 'apply-follow-up'],
    [KITT.login, 'apply-record'],
  ]);
  const [cellsFollowUp, mergeRecord] = afterMerge;
  expect(cellsFollowUp?.body).toContain(`commit=${merge} flag=${FLAG_ID}`);
  expect(cellsFollowUp?.body).toContain(STACKS.cellA1);
  expect(mergeRecord?.body).toMatch(
    new RegExp(`^<!-- kitt:apply-record commit=${merge} flag=${FLAG_ID} result=waiting -->`),
  );
  expect(api.requests).toEqual([]); // no addons stack was planned: nothing reached a cluster

  // The pull request's author may not approve the follow-up, even as a listed approver: nothing is touched.
  const callsBefore = journey.calls().length;
  const commentsBefore = journey.github.commentsOn(PR).length;
  const selfApproval = await applyRun(['--approve', '--pr', String(PR), '--record', String(cellsFollowUp?.id)], {
    event: 'workflow_dispatch',
    actor: AUTHOR.login,
  });
  expect(selfApproval.code).toBe(1);
  expect(selfApproval.stderr).toContain('[APPLY_APPROVER_NOT_ALLOWED]');
  expect(selfApproval.stderr).toContain(`${AUTHOR.login} is the author of #${PR}`);
  expect(terraformCallsSince(callsBefore)).toEqual([]);
  expect(journey.github.commentsOn(PR).length).toBe(commentsBefore);
  expect(aws.calls()).toEqual([]);

  // An approver approves: the cell applies; its addons, planned once its API answers through the tunnel, go for approval.
  const cellsApproval = await applyRun(['--approve', '--pr', String(PR), '--record', String(cellsFollowUp?.id)], {
    event: 'workflow_dispatch',
    actor: APPROVER,
  });
  expectSuccess(cellsApproval);
  expect(cellsApproval.stdout).toContain(`✓ ${STACKS.cellA1}: applied\n`);
  expect(cellsApproval.stdout).toMatch(new RegExp(`tunnel to cell a1 of ${FLAG_ID} through i-0123456789abcdef0`));
  expect(journey.appliedStacks()).toEqual([STACKS.flag, STACKS.cellA1]);
  expect(api.requests).toEqual(['GET /readyz']);
  expect(await waitUntilGone(aws.sessionPids())).toEqual([]); // the tunnel closed with the run
  const afterCells = commentsSince(commentsBefore);
  expect(afterCells.map((c) => c.kind)).toEqual(['apply-follow-up', 'apply-record']);
  const [addonsFollowUp, cellsRecord] = afterCells;
  expect(addonsFollowUp?.body).toContain(STACKS.addonsA1);
  expect(addonsFollowUp?.body).not.toContain(STACKS.cellA1);
  expect(cellsRecord?.body).toContain(`Applies the plan approved by @${APPROVER}`);
  const addonsPlan = journey.calls().findLast((c) => c.args[0] === 'plan' && c.cwd.endsWith(STACKS.addonsA1));
  expect(addonsPlan?.args).toEqual(
    expect.arrayContaining(['-var', expect.stringMatching(/^kube_api_host=https:\/\/127\.0\.0\.1:\d+$/)]),
  );

  // The second approval applies the addons, and nothing else.
  const addonsApproval = await applyRun(['--approve', '--pr', String(PR), '--record', String(addonsFollowUp?.id)], {
    event: 'workflow_dispatch',
    actor: APPROVER,
  });
  expectSuccess(addonsApproval);
  expect(addonsApproval.stdout).toContain(`✓ ${STACKS.addonsA1}: applied\n`);
  expect(journey.appliedStacks()).toEqual([STACKS.flag, STACKS.cellA1, STACKS.addonsA1]);
  const [finalRecord, ...rest] = commentsSince(commentsBefore + 2);
  expect(rest).toEqual([]);
  expect(finalRecord?.body).toMatch(
    new RegExp(`^<!-- kitt:apply-record commit=${merge} flag=${FLAG_ID} result=applied -->`),
  );

  // A final plan of every stack shows no changes.
  const applies = journey.appliedStacks().length;
  const finalPlan = await kitt(['plan', REPO_FLAG.dir, '--out', join(journey.root, 'final-plans')]);
  expectSuccess(finalPlan);
  const finalPlans = join(journey.root, 'final-plans');
  expect(statuses(summariesIn(finalPlans))).toEqual({
    [STACKS.flag]: 'no-changes',
    [STACKS.cellA1]: 'no-changes',
    [STACKS.addonsA1]: 'no-changes',
  });
  expect(appliedSince(applies)).toEqual([]);
});
