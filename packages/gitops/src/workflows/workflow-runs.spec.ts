/**
 * The workflows themselves, run: plan.yml and record.yml on a pull request that adds a FLAG, apply.yml on its
 * merge, drift.yml on a schedule. Each job's `run:` steps run in bash as on a runner, with kitt for real (`npx
 * kitt`), the stateful stand-in terraform and the fake GitHub: the shell glue between kitt calls (jq paths,
 * outputs, matrices, artifacts) is what is under test. One journey, in order: each test builds on the last.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { ACTIONS_BOT } from '../github/__fixtures__/fake-github';
import { WorkflowBench } from './__fixtures__/workflow-bench';
import type { WorkflowRun } from './__fixtures__/workflow-run';

const FLAG = 'payments-dev-eu-west-2';
const FLAG_DIR = 'flags/payments/dev/eu-west-2';
const FLAG_YAML = resolve(__dirname, `../terraform/__fixtures__/repo/${FLAG}.flag.yaml`);
const PLAN_ROLE = 'arn:aws:iam::222222222222:role/kitt-plan';
const APPLY_ROLE = 'arn:aws:iam::222222222222:role/kitt-apply';
const MINUTES = 60_000;

const tools = ['bash', 'jq', 'git'].filter((tool) => spawnSync(tool, ['--version']).status !== 0);
if (tools.length > 0) console.log(`${tools.join(', ')} not on PATH: skipping the workflow runs`);
const describeRuns = tools.length === 0 ? describe : describe.skip;

/** The run's conclusion, with its log when it is not the one expected (a failing step's output is the clue). */
function conclusionOf(run: WorkflowRun): string {
  return run.conclusion === 'success' ? 'success' : `${run.conclusion}\n${run.log()}`;
}

describeRuns('the workflows, run on a pull request that adds a FLAG, its merge, and a drift check', () => {
  let bench: WorkflowBench;
  let base: string;
  let head: string;
  let planRunId: number;
  let merge: string;

  beforeAll(async () => {
    bench = await WorkflowBench.start();
    base = bench.git('rev-parse', 'HEAD');
  }, MINUTES);
  afterAll(async () => bench?.close());

  it(
    'plan.yml finds the new FLAG, plans its stacks under the plan role and uploads only summaries',
    async () => {
      bench.git('checkout', '--quiet', '-b', 'add-flag');
      mkdirSync(join(bench.repo, FLAG_DIR), { recursive: true });
      cpSync(FLAG_YAML, join(bench.repo, FLAG_DIR, 'flag.yaml'));
      head = bench.commit('Add the FLAG');
      // refs/pull/7/merge: what main becomes, which pull_request runs check out.
      bench.git('checkout', '--quiet', '--detach', base);
      bench.git('merge', '--quiet', '--no-ff', '-m', 'Merge add-flag into main', head);
      const mergeRef = bench.git('rev-parse', 'HEAD');
      const pullRequest = {
        number: 7,
        head: { sha: head, ref: 'add-flag', repo: { full_name: 'acme/infra' } },
        base: { sha: base, ref: 'main', repo: { full_name: 'acme/infra' } },
      };

      const run = await bench.run(
        'plan.yml',
        { name: 'pull_request', payload: { number: 7, pull_request: pullRequest } },
        mergeRef,
        'refs/pull/7/merge',
      );

      expect(conclusionOf(run)).toBe('success');
      expect(run.jobs.map((j) => [j.name, j.result])).toEqual([
        ['Affected stacks', 'success'],
        [`Plan ${FLAG}`, 'success'],
        ['Plans succeeded', 'success'],
      ]);
      expect(run.job('plan')[0]?.roles).toEqual([PLAN_ROLE]);
      expect(run.job('affected')[0]?.summary).toContain(`- \`${FLAG}-flag\`: new`);
      const artifacts = bench.artifactsOf(run.runId);
      expect(Object.keys(artifacts)).toEqual(['affected-stacks', `plan-summaries-${FLAG}`]);
      expect(Object.keys(artifacts[`plan-summaries-${FLAG}`] ?? {})).toEqual([
        `${FLAG}/${FLAG}-addons-a1/summary.json`,
        `${FLAG}/${FLAG}-cell-a1/summary.json`,
        `${FLAG}/${FLAG}-flag/summary.json`,
      ]);
      expect(
        bench
          .terraformCalls()
          .filter((c) => c.args[0] === 'plan')
          .map((c) => c.args),
      ).toEqual([expect.arrayContaining(['plan', '-lock=false', '-detailed-exitcode'])]);
      expect(bench.appliedStacks()).toEqual([]);
      planRunId = run.runId;
      bench.publishRun(planRunId, { headSha: head });
    },
    10 * MINUTES,
  );

  it(
    "record.yml renders the plan run's artifacts and posts the record on the pull request, with a status on its head",
    async () => {
      bench.github.setPullRequest({ number: 7, headSha: head, author: 'alice' });
      bench.git('checkout', '--quiet', 'main');
      const workflowRun = {
        id: planRunId,
        event: 'pull_request',
        conclusion: 'success',
        head_sha: head,
        head_branch: 'add-flag',
        head_repository: { full_name: 'acme/infra' },
        pull_requests: [{ number: 7, base: { sha: base } }],
      };

      const run = await bench.run(
        'record.yml',
        { name: 'workflow_run', payload: { workflow_run: workflowRun } },
        base,
        'refs/heads/main',
      );

      expect(conclusionOf(run)).toBe('success');
      const records = bench.github.commentsOn(7);
      expect(records.map((c) => c.author)).toEqual([ACTIONS_BOT]);
      expect(records[0]?.body).toContain(`kitt:plan-metadata`);
      expect(records[0]?.body).toContain(`${FLAG}-flag`);
      expect(bench.statuses).toEqual([
        { sha: head, state: 'success', context: 'kitt / plan record', description: 'The plan record is posted.' },
      ]);
      expect(Object.keys(bench.artifactsOf(run.runId))).toEqual(['plan-record']);
    },
    5 * MINUTES,
  );

  it(
    'apply.yml refuses the merge of a pull request nobody approved: a red job, and nothing applied',
    async () => {
      bench.git('checkout', '--quiet', 'main');
      bench.git('merge', '--quiet', '--no-ff', '-m', 'Merge pull request #7', 'add-flag');
      merge = bench.git('rev-parse', 'HEAD');
      bench.github.setPullRequest({ number: 7, headSha: head, author: 'alice', mergeCommitSha: merge });
      bench.clearTerraformCalls();

      const run = await bench.run(
        'apply.yml',
        { name: 'push', payload: { before: base, after: merge } },
        merge,
        'refs/heads/main',
      );

      expect(run.jobs.map((j) => [j.name, j.result])).toEqual([
        ['FLAGs to apply', 'success'],
        // A push needs no approval gate: that job is for a dispatched approval of a follow-up record.
        ['Approval gate ', 'skipped'],
        [`Apply ${FLAG}`, 'failure'],
      ]);
      expect(run.job('apply')[0]?.steps.find((s) => s.name === 'Apply')?.stderr).toMatch(/approv/i);
      expect(bench.appliedStacks()).toEqual([]);
    },
    10 * MINUTES,
  );

  it(
    'apply.yml, once the pull request is approved, applies the flag stack under the apply role',
    async () => {
      bench.actions.addReview(7, { user: { login: 'bob', type: 'User' }, state: 'APPROVED', commitId: head });
      bench.clearTerraformCalls();

      const run = await bench.run(
        'apply.yml',
        { name: 'push', payload: { before: base, after: merge } },
        merge,
        'refs/heads/main',
      );

      expect(conclusionOf(run)).toBe('success');
      expect(run.jobs.map((j) => [j.name, j.result])).toEqual([
        ['FLAGs to apply', 'success'],
        // A push needs no approval gate: that job is for a dispatched approval of a follow-up record.
        ['Approval gate ', 'skipped'],
        [`Apply ${FLAG}`, 'success'],
      ]);
      expect(run.job('apply')[0]?.roles).toEqual([APPLY_ROLE]);
      expect(bench.appliedStacks()).toEqual([`${FLAG}-flag`]);
      expect(bench.github.commentsOn(7).map((c) => c.body.split('\n')[0])).toContainEqual(
        // Applied as far as reviewed: the cell's plan waits for its own approval (a follow-up record).
        `<!-- kitt:apply-record commit=${merge} flag=${FLAG} result=waiting -->`,
      );
      expect(Object.keys(bench.artifactsOf(run.runId)[`apply-record-${FLAG}`] ?? {})).toContain(`${FLAG}-flag.json`);
    },
    10 * MINUTES,
  );

  it(
    'drift.yml plans every FLAG of main and opens an issue for the stack changed behind Terraform',
    async () => {
      const state = JSON.parse(readFileSync(bench.statePath(`${FLAG}-flag`), 'utf8'));
      state.serial += 1;
      for (const resource of Object.values<Record<string, unknown>>(state.resources))
        resource['tags'] = { changed: 'in the console' };
      writeFileSync(bench.statePath(`${FLAG}-flag`), JSON.stringify(state));
      bench.clearTerraformCalls();

      const run = await bench.run(
        'drift.yml',
        { name: 'schedule', payload: { schedule: '17 5 * * *' } },
        merge,
        'refs/heads/main',
      );

      expect(conclusionOf(run)).toBe('success');
      expect(run.jobs.map((j) => [j.name, j.result])).toEqual([
        ['FLAGs to check', 'success'],
        [`Plan ${FLAG}`, 'success'],
        ['Drift issues', 'success'],
      ]);
      expect(run.job('plan')[0]?.roles).toEqual([PLAN_ROLE]);
      expect(bench.appliedStacks()).toEqual([]);
      const [issue] = bench.issues.open();
      expect(issue?.title).toBe(`Drift: ${FLAG}`);
      expect(issue?.author).toEqual(ACTIONS_BOT);
      expect(issue?.body).toContain(`<code>${FLAG}-flag</code> | flag | 📝 changes`);
      expect(issue?.body).not.toContain('without an apply record');
    },
    10 * MINUTES,
  );

  it(
    'plan.yml plans nothing for a pull request that changes no FLAG, and record.yml posts the record saying so',
    async () => {
      bench.git('checkout', '--quiet', '-b', 'docs', 'main');
      writeFileSync(join(bench.repo, 'NOTES.md'), 'No FLAG changes here.\n');
      const docs = bench.commit('Notes');
      const main = bench.git('rev-parse', 'main');
      bench.git('checkout', '--quiet', '--detach', main);
      bench.git('merge', '--quiet', '--no-ff', '-m', 'Merge docs into main', docs);
      const mergeRef = bench.git('rev-parse', 'HEAD');
      const pullRequest = {
        number: 8,
        head: { sha: docs, ref: 'docs', repo: { full_name: 'acme/infra' } },
        base: { sha: main, ref: 'main', repo: { full_name: 'acme/infra' } },
      };

      const plan = await bench.run(
        'plan.yml',
        { name: 'pull_request', payload: { number: 8, pull_request: pullRequest } },
        mergeRef,
        'refs/pull/8/merge',
      );

      expect(conclusionOf(plan)).toBe('success');
      expect(plan.jobs.map((j) => [j.id, j.result])).toEqual([
        ['affected', 'success'],
        ['plan', 'skipped'],
        ['plans-succeeded', 'success'],
      ]);
      bench.publishRun(plan.runId, { headSha: docs });
      bench.github.setPullRequest({ number: 8, headSha: docs, author: 'alice' });
      const workflowRun = {
        id: plan.runId,
        event: 'pull_request',
        conclusion: 'success',
        head_sha: docs,
        head_branch: 'docs',
        head_repository: { full_name: 'acme/infra' },
        pull_requests: [{ number: 8, base: { sha: main } }],
      };

      const record = await bench.run(
        'record.yml',
        { name: 'workflow_run', payload: { workflow_run: workflowRun } },
        main,
        'refs/heads/main',
      );

      expect(conclusionOf(record)).toBe('success');
      expect(bench.github.commentsOn(8).map((c) => c.author)).toEqual([ACTIONS_BOT]);
      expect(bench.statuses.at(-1)).toMatchObject({ sha: docs, state: 'success' });
    },
    10 * MINUTES,
  );

  it(
    'drift.yml still reports when a plan job fails: the FLAG it could not plan is not judged, its issue stays, the run is red',
    async () => {
      bench.git('checkout', '--quiet', 'main');
      const org = join(bench.repo, 'flags', 'org.yaml');
      writeFileSync(org, readFileSync(org, 'utf8').replace(`planRoleArn: ${PLAN_ROLE}`, 'planRoleArn: ""'));
      const main = bench.commit('The account loses its plan role');
      const open = bench.issues.open().map((i) => [i.number, i.body]);

      const run = await bench.run(
        'drift.yml',
        { name: 'workflow_dispatch', payload: { inputs: {} } },
        main,
        'refs/heads/main',
      );

      expect(run.jobs.map((j) => [j.id, j.result])).toEqual([
        ['flags', 'success'],
        ['plan', 'failure'],
        ['report', 'failure'],
      ]);
      expect(run.job('report')[0]?.summary).toContain(`- \`${FLAG}\`: no plan, not judged`);
      expect(bench.issues.open().map((i) => [i.number, i.body])).toEqual(open);
    },
    10 * MINUTES,
  );

  it(
    'drift.yml runs nothing when dispatched on another branch than main',
    async () => {
      const run = await bench.run(
        'drift.yml',
        { name: 'workflow_dispatch', payload: { inputs: {} } },
        base,
        'refs/heads/docs',
      );
      expect(run.jobs.map((j) => [j.id, j.result])).toEqual([
        ['flags', 'skipped'],
        ['plan', 'skipped'],
        ['report', 'skipped'],
      ]);
    },
    MINUTES,
  );
});
