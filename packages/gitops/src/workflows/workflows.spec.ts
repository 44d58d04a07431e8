import { validateWorkflow } from '@action-validator/core';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { checkWorkflow, triggersOf, WorkflowRule } from './workflow-rules';

const WORKFLOWS = resolve(__dirname, '../../../../.github/workflows');
const files = readdirSync(WORKFLOWS)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const read = (file: string) => readFileSync(join(WORKFLOWS, file), 'utf8');
const GOOD = readFileSync(join(__dirname, '__fixtures__', 'good.yml'), 'utf8');

type Workflow = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The schema errors of a workflow, as `path: detail` lines (empty when it is valid). */
function schemaErrors(source: string): string[] {
  return validateWorkflow(source).errors.map((e) => `${'path' in e ? e.path : ''}: ${e.detail ?? e.title}`);
}

describe('the workflows in .github/workflows', () => {
  it('are plan.yml and ci.yml (at least)', () => {
    expect(files).toEqual(expect.arrayContaining(['ci.yml', 'plan.yml']));
  });

  it.each(files)('%s matches the GitHub Actions workflow schema', (file) => {
    expect(schemaErrors(read(file))).toEqual([]);
  });

  it.each(files)('%s keeps every security rule', (file) => {
    expect(checkWorkflow(read(file))).toEqual([]);
  });

  it('plan.yml runs on pull_request only', () => {
    expect(triggersOf(parse(read('plan.yml')) as Workflow)).toEqual(['pull_request']);
  });

  it('plan.yml fans out one matrix job per entry of kitt affected --json', () => {
    const plan = (parse(read('plan.yml')) as Workflow).jobs.plan;
    expect(plan.strategy.matrix).toBe('${{ fromJSON(needs.affected.outputs.matrix) }}');
    expect(plan.strategy['fail-fast']).toBe(false);
  });

  it('plan.yml stops a fork pull request with the reason in the job summary', () => {
    const steps: Workflow[] = (parse(read('plan.yml')) as Workflow).jobs.affected.steps;
    const refusal = steps.find((s) => String(s.if ?? '').includes('github.event.pull_request.head.repo.full_name'));
    expect(refusal?.run).toMatch(/GITHUB_STEP_SUMMARY[\s\S]*exit 1/);
  });

  it('plan.yml succeeds only when every job did: its last job always runs and needs them all', () => {
    const { jobs } = parse(read('plan.yml')) as Workflow;
    const final = jobs['plans-succeeded'];
    expect(final.if).toBe('always()');
    expect([...final.needs].sort()).toEqual(
      Object.keys(jobs)
        .filter((id) => id !== 'plans-succeeded')
        .sort(),
    );
  });

  describe('plan.yml when the change has no stack to plan', () => {
    const { jobs } = parse(read('plan.yml')) as Workflow;
    const recordSteps: Workflow[] = jobs.record.steps;
    const stepIndex = (pattern: RegExp) => recordSteps.findIndex((s) => pattern.test(String(s.run ?? '')));

    it('still runs the record job', () => {
      expect(jobs.record.if).toContain("needs.affected.outputs.jobs == '0' ||");
      expect(jobs.record.if).toContain("needs.affected.result == 'success'");
    });

    it('renders the empty record from the affected report, then posts it like any record', () => {
      const empty = stepIndex(/kitt render --empty\b/);
      const post = stepIndex(/kitt comment\b/);
      expect(recordSteps[empty]?.if).toBe("needs.affected.outputs.jobs == '0'");
      expect(recordSteps[empty]?.run).toMatch(
        /--affected-file "\$RUNNER_TEMP\/affected\/affected\.json"[\s\S]*--head "\$PR_HEAD_SHA"/,
      );
      expect(
        recordSteps
          .slice(0, empty)
          .some((s) => s.with?.name === 'affected-stacks' && s.if === "needs.affected.outputs.jobs == '0'"),
      ).toBe(true);
      expect(post).toBeGreaterThan(empty);
      expect(recordSteps[post]?.if).toBeUndefined();
    });

    it('renders from summaries only when there are plans', () => {
      const fromSummaries = stepIndex(/kitt render "\$\{summaries\[@\]\}"/);
      expect(recordSteps[fromSummaries]?.if).toBe("needs.affected.outputs.jobs != '0'");
    });
  });

  describe("plan.yml's final check, run as the runner would", () => {
    const final: Workflow = (parse(read('plan.yml')) as Workflow).jobs['plans-succeeded'];
    const script = String(final.steps[0].run);
    const bash = spawnSync('bash', ['--version']).status === 0;
    if (!bash) console.log("bash is not on PATH: skipping the runs of plan.yml's final check");

    /** Runs the check with the needs' results; its exit code and what it wrote to the job summary. */
    function check(needs: { AFFECTED: string; JOBS: string; PLAN: string; RECORD: string }) {
      const dir = mkdtempSync(join(tmpdir(), 'kitt-final-check-'));
      try {
        const summary = join(dir, 'summary.md');
        const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
          env: { PATH: process.env.PATH, GITHUB_STEP_SUMMARY: summary, ...needs },
          encoding: 'utf8',
        });
        return { status: result.status, summary: readFileSync(summary, 'utf8') };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }

    (bash ? it : it.skip)('succeeds with no stack to plan once the record saying so is posted', () => {
      const { status, summary } = check({ AFFECTED: 'success', JOBS: '0', PLAN: 'skipped', RECORD: 'success' });
      expect(status).toBe(0);
      expect(summary).toContain('No stack is affected');
    });

    (bash ? it : it.skip)('fails with no stack to plan when that record was not posted', () => {
      const { status, summary } = check({ AFFECTED: 'success', JOBS: '0', PLAN: 'skipped', RECORD: 'failure' });
      expect(status).toBe(1);
      expect(summary).toContain('The plan record was not posted (failure)');
    });

    (bash ? it : it.skip)('fails when a plan failed even though the record was posted', () => {
      const { status, summary } = check({ AFFECTED: 'success', JOBS: '2', PLAN: 'failure', RECORD: 'success' });
      expect(status).toBe(1);
      expect(summary).toContain('At least one plan did not succeed (failure)');
    });

    (bash ? it : it.skip)('succeeds when every plan succeeded and the record was posted', () => {
      expect(check({ AFFECTED: 'success', JOBS: '2', PLAN: 'success', RECORD: 'success' }).status).toBe(0);
    });
  });

  it('ci.yml runs npm ci and npm test on every pull request and push', () => {
    const ci = parse(read('ci.yml')) as Workflow;
    expect(triggersOf(ci).sort()).toEqual(['pull_request', 'push']);
    expect(ci.on.push).toBeNull();
    const runs = ci.jobs.test.steps.map((s: Workflow) => s.run).filter(Boolean);
    expect(runs).toEqual([expect.stringMatching(/^npm ci\b/), 'npm test']);
  });
});

describe('the workflow checks can fail', () => {
  it('pass the fixture that keeps every rule, which is schema-valid', () => {
    expect(schemaErrors(GOOD)).toEqual([]);
    expect(checkWorkflow(GOOD)).toEqual([]);
  });

  it('the schema check rejects a job without runs-on', () => {
    expect(
      schemaErrors(GOOD.replace('    runs-on: ubuntu-latest\n    timeout-minutes: 5\n', '    timeout-minutes: 5\n')),
    ).not.toEqual([]);
  });

  const CACHE_PLANS_STEP = [
    '      - uses: actions/cache@27d5ce7f107fe9357f9df03efb73ab90386fccae # v5.0.5',
    '        with:',
    '          path: out/plans',
    '          key: plans',
    '',
  ].join('\n');

  /** Bad fixtures: good.yml with one rule broken by replacing text in it. */
  const breaks: ReadonlyArray<{
    rule: WorkflowRule;
    what: string;
    edits: ReadonlyArray<readonly [from: string, to: string]>;
  }> = [
    {
      rule: WorkflowRule.NO_PULL_REQUEST_TARGET,
      what: 'runs on pull_request_target',
      edits: [['on:\n  pull_request:\n', 'on:\n  pull_request_target:\n']],
    },
    {
      rule: WorkflowRule.PERMISSIONS_DECLARED,
      what: 'leaves a job with no permissions and none at the top',
      edits: [
        ['permissions: {}\n', ''],
        ['    permissions:\n      pull-requests: write\n', ''],
      ],
    },
    {
      rule: WorkflowRule.PERMISSIONS_MINIMAL,
      what: 'grants write-all',
      edits: [['permissions: {}', 'permissions: write-all']],
    },
    {
      rule: WorkflowRule.PERMISSIONS_MINIMAL,
      what: 'grants a write at the top',
      edits: [['permissions: {}', 'permissions:\n  contents: write']],
    },
    {
      rule: WorkflowRule.PERMISSIONS_MINIMAL,
      what: 'grants id-token: write to a job without OIDC',
      edits: [['      pull-requests: write\n', '      pull-requests: write\n      id-token: write\n']],
    },
    {
      rule: WorkflowRule.PERMISSIONS_MINIMAL,
      what: 'grants pull-requests: write to a job that posts nothing',
      edits: [['      id-token: write\n', '      id-token: write\n      pull-requests: write\n']],
    },
    {
      rule: WorkflowRule.PERMISSIONS_MINIMAL,
      what: 'grants contents: write to a job',
      edits: [['      contents: read\n', '      contents: write\n']],
    },
    {
      rule: WorkflowRule.ACTIONS_PINNED,
      what: 'uses an action by tag',
      edits: [['actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1', 'actions/checkout@v7.0.1']],
    },
    {
      rule: WorkflowRule.ACTIONS_PINNED,
      what: 'uses an action by a short SHA',
      edits: [['@3d3c42e5aac5ba805825da76410c181273ba90b1', '@3d3c42e']],
    },
    {
      rule: WorkflowRule.ACTIONS_PINNED,
      what: 'pins a SHA without saying its tag',
      edits: [['dfe3c3f87815947d99a8997f908cb6525fc44e9e # v4.0.1', 'dfe3c3f87815947d99a8997f908cb6525fc44e9e']],
    },
    {
      rule: WorkflowRule.NO_EXPRESSIONS_IN_RUN,
      what: 'splices event data into run',
      edits: [['--head "$HEAD_SHA"', '--head "${{ github.event.pull_request.head.sha }}"']],
    },
    {
      rule: WorkflowRule.NO_EXPRESSIONS_IN_RUN,
      what: 'splices a matrix value into run',
      edits: [['plan flags/acme/prod/us-east-1', 'plan ${{ matrix.flagDir }}']],
    },
    {
      rule: WorkflowRule.NO_EXPRESSIONS_IN_RUN,
      what: "splices another job's output into run",
      edits: [['--pr "$PR_NUMBER"', '--pr ${{ needs.plan.outputs.pr }}']],
    },
    {
      rule: WorkflowRule.TERRAFORM_WRAPPER_OFF,
      what: 'keeps the terraform wrapper on',
      edits: [['terraform_wrapper: false', 'terraform_wrapper: true']],
    },
    {
      rule: WorkflowRule.TERRAFORM_WRAPPER_OFF,
      what: 'leaves terraform_wrapper at its default',
      edits: [['        with:\n          terraform_wrapper: false\n', '']],
    },
    {
      rule: WorkflowRule.NO_SECRET_ARTIFACTS,
      what: 'uploads the whole plan directory',
      edits: [['path: out/plans/**/summary.json', 'path: out/plans']],
    },
    {
      rule: WorkflowRule.NO_SECRET_ARTIFACTS,
      what: 'uploads plan.json beside the summaries',
      edits: [
        [
          'path: out/plans/**/summary.json',
          'path: |\n            out/plans/**/summary.json\n            out/plans/**/plan.json',
        ],
      ],
    },
    {
      rule: WorkflowRule.NO_SECRET_ARTIFACTS,
      what: 'uploads a saved plan',
      edits: [['path: out/plans/**/summary.json', 'path: out/plans/acme/tfplan']],
    },
    {
      rule: WorkflowRule.NO_SECRET_ARTIFACTS,
      what: 'caches the plan directory',
      edits: [
        [
          '          path: out/plans/**/summary.json\n',
          `          path: out/plans/**/summary.json\n${CACHE_PLANS_STEP}`,
        ],
      ],
    },
    {
      rule: WorkflowRule.CONCURRENCY_CANCELS,
      what: 'lets superseded runs go on',
      edits: [['cancel-in-progress: true', 'cancel-in-progress: false']],
    },
    {
      rule: WorkflowRule.CONCURRENCY_CANCELS,
      what: 'has no concurrency',
      edits: [
        ['concurrency:\n  group: plan-${{ github.event.pull_request.number }}\n  cancel-in-progress: true\n', ''],
      ],
    },
    {
      rule: WorkflowRule.CONCURRENCY_CANCELS,
      what: 'shares one group across pull requests',
      edits: [['group: plan-${{ github.event.pull_request.number }}', 'group: plan']],
    },
    {
      rule: WorkflowRule.CHECKOUT_NO_CREDENTIALS,
      what: 'leaves the token in .git/config',
      edits: [['persist-credentials: false', 'persist-credentials: true']],
    },
    {
      rule: WorkflowRule.JOB_TIMEOUT,
      what: 'has a job without timeout-minutes',
      edits: [['    timeout-minutes: 5\n', '']],
    },
  ];

  it.each(breaks)('$rule: a workflow that $what', ({ rule, edits }) => {
    let bad = GOOD;
    for (const [from, to] of edits) {
      expect(bad).toContain(from);
      bad = bad.replace(from, to);
    }
    expect([...new Set(checkWorkflow(bad).map((v) => v.rule))]).toEqual([rule]);
  });
});
