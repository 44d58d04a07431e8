/**
 * The whole journey of a brand-new FLAG, with kitt's own commands as the workflows run them: kitt affected, kitt
 * plan, kitt render and kitt comment post the plan record of the pull request; kitt apply applies its flag stack on
 * merge and posts the cells' plans; `kitt apply --approve` applies them and posts the addons' plans (once the cell's
 * API is ready, through the tunnel); a second approval applies those; a final kitt plan shows no changes. Real git,
 * kitt's synthesis, the stand-in terraform keeping state, the stand-in aws and a fake Kubernetes API, the fake GitHub.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createCommentCommand } from '../cli/commands/comment';
import { createApplyCommand } from '../cli/commands/apply';
import { runKittIn, type KittRun } from '../cli/__fixtures__/run-kitt';
import { commandLoaders, type CommandLoaders } from '../cli/registry';
import { claim, FakeKubeApi, service, volume } from '../cluster-access/__fixtures__/fake-kube-api';
import { StandInAws, waitUntilGone } from '../cluster-access/__fixtures__/stand-in-aws';
import { makePki } from '../cluster-access/__fixtures__/tls';
import { readPlanRecordMarker } from '../github/plan-record-body';
import type { StackResult } from '../plan/record';
import { REPO_FLAG } from '../terraform/__fixtures__/stand-in';
import { ApplyJourney, AUTHOR, FLAG_ID, KITT, STACKS, STATEFUL_TERRAFORM } from './__fixtures__/journey';

const PR = 7;
const WORKSPACE = resolve(__dirname, '../../../..');
const APPROVER = 'carol';
const APPLY_WORKFLOW = '.github/workflows/apply.yml';

let journey: ApplyJourney;
let aws: StandInAws | undefined;
let api: FakeKubeApi | undefined;
let runId = 5100;

afterEach(async () => {
  await api?.close();
  aws?.dispose();
  api = undefined;
  aws = undefined;
  await journey?.close();
});

/** The stand-in aws, whose tunnels lead to a fake Kubernetes API serving the cells' API names; `token` is kitt's for `cell`. */
async function cellsUp(cells: readonly string[], tokenOf: string): Promise<FakeKubeApi> {
  const pki = makePki(cells.map((cell) => `api.${cell}.${FLAG_ID}.kitt.example.com`));
  aws = new StandInAws();
  writeFileSync(join(aws.dir, 'ca.crt'), pki.caPem);
  api = await new FakeKubeApi(`k8s-aws-v1.stand-in-${FLAG_ID}-${tokenOf}`).start(pki);
  return api;
}

function standInAws(): StandInAws {
  if (!aws) throw new Error('no stand-in aws: call cellsUp first');
  return aws;
}
function kubeApi(): FakeKubeApi {
  if (!api) throw new Error('no Kubernetes API: call cellsUp first');
  return api;
}

/** kitt's commands, with GitHub clients on the fake; the rest exactly as registered. */
function loaders(): CommandLoaders {
  const client = () => journey.github.client();
  const replaced: Readonly<Record<string, CommandLoaders[number]['load']>> = {
    apply: () => createApplyCommand({ createClient: client }),
    comment: () => createCommentCommand({ createClient: client }),
  };
  return commandLoaders.map((entry) => ({ ...entry, load: replaced[entry.name] ?? entry.load }));
}

/** `kitt <args>` in the repository as a workflow step runs it: GitHub's variables, the stand-in aws on PATH's place. */
async function kitt(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<KittRun> {
  const aws = standInAws();
  const api = kubeApi();
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
async function planAndRecord(base: string, head: string, options: { affected?: boolean } = {}): Promise<StackResult[]> {
  const id = runId++;
  const work = join(journey.root, `plan-run-${id}`);
  mkdirSync(work, { recursive: true });
  const affected = await kitt(['affected', '--detector', 'paths', '--base', base, '--head', head, '--json']);
  expectSuccess(affected);
  writeFileSync(join(work, 'affected.json'), affected.stdout);
  const plans = join(work, 'plans');
  // Without --affected, kitt plan plans the FLAG as it is at head: no destroy of what head removed.
  const which = options.affected === false ? [] : ['--affected', '--stacks-file', join(work, 'affected.json')];
  const plan = await kitt(
    [
      'plan',
      ...which,
      REPO_FLAG.dir,
      '--out',
      plans,
      '--synth-out',
      join(work, 'synth'),
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
  writeFileSync(join(journey.repoDir, '.gitignore'), 'cdktf.out\nout\n');
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
  const api = await cellsUp(['a1'], 'a1');
  const aws = standInAws();
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

/**
 * main as the journey above leaves it, with cells a1 and b1: kitt plan, and the stand-in applying each saved plan
 * with changes, layer by layer, until nothing changes.
 */
async function mainWithCellsA1AndB1(): Promise<void> {
  journey = await ApplyJourney.start(undefined, { withoutFlag: true });
  withKittOfWorkspace();
  journey.addFlag();
  journey.editFlag((doc) => doc.cells?.push({ name: 'b1', zone: 'eu-west-2b', slot: 1 }));
  journey.commit('The FLAG with cells a1 and b1');
  for (let layer = 0; layer < 4; layer++) {
    const out = join(journey.root, `main-plans-${layer}`);
    const synthOut = join(journey.root, `main-synth-${layer}`);
    expectSuccess(await kitt(['plan', REPO_FLAG.dir, '--out', out, '--synth-out', synthOut]));
    const changed = summariesIn(out).filter((r) => r.status === 'changes');
    if (changed.length === 0) return;
    for (const { stack } of changed) {
      execFileSync(STATEFUL_TERRAFORM, ['apply', join(out, FLAG_ID, stack, 'tfplan')], {
        cwd: join(synthOut, FLAG_ID, 'stacks', stack),
        env: journey.env as NodeJS.ProcessEnv,
      });
    }
  }
  throw new Error('main still plans changes after applying every layer');
}

/** Cell b1's cluster: a load balancer, a volume provisioned for a claim, and what the cleanup leaves alone. */
function b1Workloads(cluster: FakeKubeApi): void {
  cluster.lag = 1;
  cluster.services = [service('shop', 'web', 'LoadBalancer'), service('shop', 'db', 'ClusterIP')];
  cluster.volumes = [volume('pvc-1', 'shop', 'data-db-0', 'Delete')];
  cluster.claims = [claim('shop', 'data-db-0')];
}

function resourcesOf(stack: string): string[] {
  return Object.keys((JSON.parse(readFileSync(journey.statePath(stack), 'utf8')) as { resources: object }).resources);
}

describe('a pull request removing a cell', () => {
  it('destroys its addons stack after the cluster’s load balancers and volumes went, then the cell, as its record showed', async () => {
    const cluster = await cellsUp(['a1', 'b1'], 'b1');
    await mainWithCellsA1AndB1();
    b1Workloads(cluster);
    const base = journey.git('rev-parse', 'HEAD');
    journey.git('checkout', '--quiet', '-b', 'remove-b1');
    journey.editFlag((doc) => {
      doc.cells = doc.cells?.filter((c) => c.name !== 'b1');
    });
    const head = journey.commit('Remove cell b1');
    journey.github.setPullRequest({ number: PR, headSha: head, author: AUTHOR.login });

    const planned = await planAndRecord(base, head);
    expect(planned.filter((r) => r.removed).map((r) => r.stack)).toEqual([STACKS.addonsB1, STACKS.cellB1]);
    const [record] = commentsSince(0);
    expect(record?.body).toContain(STACKS.addonsB1);
    expect(cluster.requests.filter((r) => !r.startsWith('GET'))).toEqual([]); // planning a destroy deletes nothing
    journey.approve(PR);
    journey.merge(PR, 'remove-b1');
    const applies = journey.appliedStacks().length;

    const run = await applyRun([], { event: 'push' });

    expectSuccess(run);
    // The flag stack loses b1's subnets only once the cell that stands on them is gone.
    expect(appliedSince(applies)).toEqual([STACKS.addonsB1, STACKS.cellB1, STACKS.flag]);
    expect(cluster.requests.filter((r) => !r.startsWith('GET'))).toEqual([
      'DELETE /api/v1/namespaces/shop/services/web',
      'DELETE /api/v1/namespaces/shop/persistentvolumeclaims/data-db-0',
    ]);
    expect(cluster.services.map((s) => s.metadata.name)).toEqual(['db']);
    expect(cluster.volumes).toEqual([]);
    expect(resourcesOf(STACKS.addonsB1)).toEqual([]);
    expect(resourcesOf(STACKS.cellB1)).toEqual([]);
    expect(resourcesOf(STACKS.cellA1)).not.toEqual([]);
    const [applyRecord] = commentsSince(1);
    expect(applyRecord?.body).toMatch(/^<!-- kitt:apply-record commit=[0-9a-f]{40} flag=\S+ result=applied -->/);
    expect(await waitUntilGone(standInAws().sessionPids())).toEqual([]);
    const finalPlans = join(journey.root, 'final-plans');
    expectSuccess(await kitt(['plan', REPO_FLAG.dir, '--out', finalPlans]));
    expect(statuses(summariesIn(finalPlans))).toEqual({
      [STACKS.flag]: 'no-changes',
      [STACKS.cellA1]: 'no-changes',
      [STACKS.addonsA1]: 'no-changes',
    });
  });

  it('destroys nothing, and deletes nothing in the cluster, when the pull request’s record did not show the destroys', async () => {
    const cluster = await cellsUp(['a1', 'b1'], 'b1');
    await mainWithCellsA1AndB1();
    b1Workloads(cluster);
    const base = journey.git('rev-parse', 'HEAD');
    journey.git('checkout', '--quiet', '-b', 'remove-b1');
    journey.editFlag((doc) => {
      doc.cells = doc.cells?.filter((c) => c.name !== 'b1');
    });
    const head = journey.commit('Remove cell b1');
    journey.github.setPullRequest({ number: PR, headSha: head, author: AUTHOR.login });
    const planned = await planAndRecord(base, head, { affected: false });
    expect(planned.filter((r) => r.removed)).toEqual([]);
    journey.approve(PR);
    journey.merge(PR, 'remove-b1');
    const applies = journey.appliedStacks().length;
    const calls = journey.calls().length;

    await applyRun([], { event: 'push' });

    expect(appliedSince(applies)).not.toContain(STACKS.addonsB1);
    expect(appliedSince(applies)).not.toContain(STACKS.cellB1);
    expect(terraformCallsSince(calls).filter((c) => c.endsWith(STACKS.cellB1) || c.endsWith(STACKS.addonsB1))).toEqual(
      [],
    );
    expect(cluster.requests.filter((r) => !r.startsWith('GET'))).toEqual([]);
    expect(cluster.services).toHaveLength(2);
    expect(resourcesOf(STACKS.addonsB1)).not.toEqual([]);
    expect(resourcesOf(STACKS.cellB1)).not.toEqual([]);
  });
});
