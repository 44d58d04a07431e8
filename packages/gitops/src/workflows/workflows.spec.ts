import { validateWorkflow } from '@action-validator/core';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { checkWorkflow, triggersOf, WorkflowRule } from './workflow-rules';

const WORKFLOWS = resolve(__dirname, '../../../../.github/workflows');
const files = readdirSync(WORKFLOWS)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const read = (file: string) => readFileSync(join(WORKFLOWS, file), 'utf8');
const GOOD = readFileSync(join(__dirname, '__fixtures__', 'good.yml'), 'utf8');
const GOOD_RECORD = readFileSync(join(__dirname, '__fixtures__', 'good-record.yml'), 'utf8');

type Workflow = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The schema errors of a workflow, as `path: detail` lines (empty when it is valid). */
function schemaErrors(source: string): string[] {
  return validateWorkflow(source).errors.map((e) => `${'path' in e ? e.path : ''}: ${e.detail ?? e.title}`);
}

describe('the workflows in .github/workflows', () => {
  it('are plan.yml, record.yml and ci.yml (at least)', () => {
    expect(files).toEqual(expect.arrayContaining(['ci.yml', 'plan.yml', 'record.yml']));
  });

  it('give no job of a pull_request workflow a write permission other than id-token', () => {
    const writes = files
      .map((file) => ({ file, workflow: parse(read(file)) as Workflow }))
      .filter(({ workflow }) => triggersOf(workflow).includes('pull_request'))
      .flatMap(({ file, workflow }) =>
        [workflow.permissions, ...Object.values<Workflow>(workflow.jobs).map((job) => job.permissions)].flatMap(
          (permissions) =>
            permissions === 'write-all'
              ? [`${file}: write-all`]
              : Object.entries(permissions ?? {})
                  .filter(([scope, level]) => level === 'write' && scope !== 'id-token')
                  .map(([scope]) => `${file}: ${scope}`),
        ),
      );
    expect(writes).toEqual([]);
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

  describe("plan.yml's final check, run as the runner would", () => {
    const final: Workflow = (parse(read('plan.yml')) as Workflow).jobs['plans-succeeded'];
    const script = String(final.steps[0].run);
    const bash = spawnSync('bash', ['--version']).status === 0;
    if (!bash) console.log("bash is not on PATH: skipping the runs of plan.yml's final check");

    /** Runs the check with the needs' results; its exit code and what it wrote to the job summary. */
    function check(needs: { AFFECTED: string; JOBS: string; PLAN: string }) {
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

    (bash ? it : it.skip)('succeeds with no stack to plan, the plan job skipped', () => {
      const { status, summary } = check({ AFFECTED: 'success', JOBS: '0', PLAN: 'skipped' });
      expect(status).toBe(0);
      expect(summary).toContain('No stack is affected');
    });

    (bash ? it : it.skip)('fails when a plan failed', () => {
      const { status, summary } = check({ AFFECTED: 'success', JOBS: '2', PLAN: 'failure' });
      expect(status).toBe(1);
      expect(summary).toContain('At least one plan did not succeed (failure)');
    });

    (bash ? it : it.skip)('fails when finding the affected stacks failed', () => {
      const { status, summary } = check({ AFFECTED: 'failure', JOBS: '', PLAN: 'skipped' });
      expect(status).toBe(1);
      expect(summary).toContain('Finding the affected stacks did not succeed (failure)');
    });

    (bash ? it : it.skip)('succeeds when every plan succeeded', () => {
      expect(check({ AFFECTED: 'success', JOBS: '2', PLAN: 'success' }).status).toBe(0);
    });
  });

  describe('the AWS tools check of the jobs that plan or apply, run as the runner would', () => {
    const TOOLS_CHECK = 'Check the AWS CLI and the Session Manager plugin';
    const jobs: [string, string, RegExp][] = [
      ['plan.yml', 'plan', /npx kitt plan/],
      ['apply.yml', 'apply', /npx kitt apply/],
      ['drift.yml', 'plan', /npx kitt plan/],
    ];
    const stepsOf = (file: string, job: string): Workflow[] => (parse(read(file)) as Workflow).jobs[job].steps;
    const script = String(stepsOf('plan.yml', 'plan').find((s) => s.name === TOOLS_CHECK)?.run);
    const bash = spawnSync('bash', ['-c', 'command -v bash'], { encoding: 'utf8' }).stdout.trim();
    if (!bash) console.log('bash is not on PATH: skipping the runs of the AWS tools check');

    it.each(jobs)('%s job %s checks the tools, with the same script, before kitt runs', (file, job, kitt) => {
      const steps = stepsOf(file, job);
      const check = steps.findIndex((s) => s.name === TOOLS_CHECK);
      expect(check).toBeGreaterThanOrEqual(0);
      expect(steps[check]?.run).toBe(script);
      expect(check).toBeLessThan(steps.findIndex((s) => kitt.test(String(s.run ?? ''))));
    });

    /** Runs the check with only `tools` on PATH (each answering --version with `exit`); exit code and output. */
    function check(tools: Record<string, number>, env: Record<string, string> = {}) {
      const dir = mkdtempSync(join(tmpdir(), 'kitt-tools-check-'));
      try {
        for (const [tool, exit] of Object.entries(tools)) {
          writeFileSync(join(dir, tool), `#!${bash}\necho "${tool} 1.0"\nexit ${exit}\n`, { mode: 0o755 });
        }
        const result = spawnSync(bash, ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
          env: { PATH: dir, ...env },
          encoding: 'utf8',
        });
        return { status: result.status, stdout: result.stdout };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }

    (bash ? it : it.skip)('passes with both tools, a line each', () => {
      const { status, stdout } = check({ aws: 0, 'session-manager-plugin': 0 });
      expect({ status, stdout }).toEqual({
        status: 0,
        stdout: '✓ aws: aws 1.0\n✓ session-manager-plugin: session-manager-plugin 1.0\n',
      });
    });

    (bash ? it : it.skip)('fails naming the Session Manager plugin when it is missing', () => {
      const { status, stdout } = check({ aws: 0 });
      expect(status).toBe(1);
      expect(stdout).toContain('::error title=session-manager-plugin missing::');
      expect(stdout).not.toContain('title=aws missing');
    });

    (bash ? it : it.skip)('fails naming the AWS CLI when it is missing or its --version fails', () => {
      const cases: Record<string, number>[] = [
        { 'session-manager-plugin': 0 },
        { aws: 1, 'session-manager-plugin': 0 },
      ];
      for (const tools of cases) {
        const { status, stdout } = check(tools);
        expect(status).toBe(1);
        expect(stdout).toContain("::error title=aws missing::'aws --version' failed on this runner");
        expect(stdout).not.toContain('title=session-manager-plugin missing');
      }
    });

    (bash ? it : it.skip)('needs no plugin on a runner inside the VPC (KITT_NO_TUNNEL), but still the AWS CLI', () => {
      expect(check({ aws: 0 }, { KITT_NO_TUNNEL: 'true' }).status).toBe(0);
      expect(check({}, { KITT_NO_TUNNEL: '1' }).stdout).toContain('title=aws missing');
    });
  });

  describe('record.yml', () => {
    const record = parse(read('record.yml')) as Workflow;
    const job: Workflow = record.jobs.record;
    const steps: Workflow[] = job.steps;
    const uses = (action: string) => steps.filter((s) => String(s.uses ?? '').startsWith(`${action}@`));
    const runOf = (pattern: RegExp) => steps.find((s) => pattern.test(String(s.run ?? '')));

    it('runs on workflow_run of the plan workflow when it completes, and on nothing else', () => {
      expect(triggersOf(record)).toEqual(['workflow_run']);
      expect(record.on.workflow_run).toEqual({ workflows: ['plan'], types: ['completed'] });
      expect((parse(read('plan.yml')) as Workflow).name).toBe('plan');
    });

    it('is the only workflow that writes to pull requests, and only its job that runs kitt comment', () => {
      expect(job.permissions).toEqual({
        actions: 'read',
        contents: 'read',
        'pull-requests': 'write',
        statuses: 'write',
      });
      expect(record.permissions).toEqual({});
      expect(runOf(/\bkitt comment\b/)).toBeDefined();
    });

    it("posts for this repository's pull request runs that planned or failed, not for forks or cancelled runs", () => {
      const condition = String(job.if);
      expect(condition).toContain("github.event.workflow_run.event == 'pull_request'");
      expect(condition).toContain('github.event.workflow_run.head_repository.full_name == github.repository');
      expect(condition).toContain("github.event.workflow_run.conclusion == 'success'");
      expect(condition).not.toContain('cancelled');
    });

    it('checks out the default branch only and runs no git command that reaches other commits', () => {
      expect(uses('actions/checkout')).toHaveLength(1);
      for (const checkout of uses('actions/checkout')) {
        expect(checkout.with.ref).toBeUndefined();
        expect(checkout.with.repository).toBeUndefined();
      }
      expect(steps.filter((s) => /\bgit\b|\bgh pr\b/.test(String(s.run ?? '')))).toEqual([]);
    });

    it("downloads the plan run's artifacts by its id, outside the workspace", () => {
      const downloads = uses('actions/download-artifact');
      expect(downloads.map((d) => d.with['run-id'])).toEqual(
        downloads.map(() => '${{ github.event.workflow_run.id }}'),
      );
      expect(downloads.map((d) => d.with['github-token'])).toEqual(downloads.map(() => '${{ github.token }}'));
      for (const d of downloads) expect(d.with.path).toMatch(/^\$\{\{ runner\.temp \}\}\/untrusted\//);
      const install = steps.findIndex((s) => /^npm ci\b/.test(String(s.run ?? '')));
      expect(install).toBeLessThan(steps.indexOf(downloads[0] as Workflow));
    });

    it("takes the pull request, head, base and run from GitHub's event, never from an artifact", () => {
      expect(job.env).toEqual({
        HEAD_SHA: '${{ github.event.workflow_run.head_sha }}',
        PLAN_RUN_ID: '${{ github.event.workflow_run.id }}',
        PR_NUMBER: '${{ github.event.workflow_run.pull_requests[0].number }}',
        PR_BASE_SHA: '${{ github.event.workflow_run.pull_requests[0].base.sha }}',
      });
      const post = String(runOf(/\bkitt comment\b/)?.run);
      expect(post).toContain('pr=(--pr "$PR_NUMBER")');
      expect(post).toContain('pr=(--pr-of-head)');
      expect(post).toContain('--head "$HEAD_SHA"');
    });

    it('renders every artifact with --untrusted', () => {
      const renders = String(runOf(/\bkitt render\b/)?.run).match(/kitt render[^\n]*/g) ?? [];
      expect(renders).toHaveLength(2);
      for (const line of renders) expect(line).toMatch(/^kitt render --untrusted /);
    });

    describe('its commit status step, run as the runner would', () => {
      const last = steps.at(-1) as Workflow;
      const bash = spawnSync('bash', ['--version']).status === 0;

      it('runs last, whatever happened before', () => {
        expect(last.name).toBe('Report the record on the head commit');
        expect(last.if).toBe('always()');
      });

      /** Runs the step with a stand-in gh that logs its arguments. */
      function report(env: { JOB_STATUS: string; RENDERED: string }) {
        const temp = mkdtempSync(join(tmpdir(), 'kitt-record-status-'));
        try {
          mkdirSync(join(temp, 'bin'));
          writeFileSync(join(temp, 'bin', 'gh'), '#!/bin/sh\nfor a in "$@"; do printf "[%s]" "$a"; done > "$LOG"\n', {
            mode: 0o755,
          });
          const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', String(last.run)], {
            env: {
              PATH: `${join(temp, 'bin')}:${process.env.PATH}`,
              LOG: join(temp, 'gh.log'),
              GITHUB_REPOSITORY: 'acme/infra',
              HEAD_SHA: 'a'.repeat(40),
              RUN_URL: 'https://github.com/acme/infra/actions/runs/7',
              ...env,
            },
            encoding: 'utf8',
          });
          return { status: result.status, gh: readFileSync(join(temp, 'gh.log'), 'utf8') };
        } finally {
          rmSync(temp, { recursive: true, force: true });
        }
      }

      (bash ? it : it.skip)('reports success on the head once the record is posted', () => {
        const { status, gh } = report({ JOB_STATUS: 'success', RENDERED: 'true' });
        expect(status).toBe(0);
        expect(gh).toBe(
          `[api][--method][POST][repos/acme/infra/statuses/${'a'.repeat(40)}][-f][state=success][-f][context=kitt / plan record][-f][description=The plan record is posted.][-f][target_url=https://github.com/acme/infra/actions/runs/7]`,
        );
      });

      (bash ? it : it.skip)('reports failure when posting failed', () => {
        expect(report({ JOB_STATUS: 'failure', RENDERED: 'true' }).gh).toContain('[state=failure]');
      });

      (bash ? it : it.skip)('reports failure when there was no record to post', () => {
        const { gh } = report({ JOB_STATUS: 'success', RENDERED: '' });
        expect(gh).toContain('[state=failure]');
        expect(gh).toContain('the plan run found no stacks');
      });
    });

    describe('its render step, run as the runner would', () => {
      const script = String(steps.find((s) => s.id === 'render')?.run);
      const bash = spawnSync('bash', ['--version']).status === 0;
      if (!bash) console.log("bash is not on PATH: skipping the runs of record.yml's render step");

      /** Runs the step with a stand-in npx that logs its arguments; what kitt was asked and what the step wrote. */
      function renderWith(files: Record<string, string>) {
        const temp = mkdtempSync(join(tmpdir(), 'kitt-record-step-'));
        try {
          for (const [path, text] of Object.entries(files)) {
            mkdirSync(dirname(join(temp, path)), { recursive: true });
            writeFileSync(join(temp, path), text);
          }
          mkdirSync(join(temp, 'bin'));
          // Each argument in brackets, so one that holds a space or a line break shows as one.
          writeFileSync(
            join(temp, 'bin', 'npx'),
            '#!/bin/sh\nfor a in "$@"; do printf "[%s]" "$a"; done >> "$RUNNER_TEMP/npx.log"\necho >> "$RUNNER_TEMP/npx.log"\n',
            {
              mode: 0o755,
            },
          );
          writeFileSync(join(temp, 'output'), '');
          writeFileSync(join(temp, 'summary.md'), '');
          const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
            env: {
              PATH: `${join(temp, 'bin')}:${process.env.PATH}`,
              RUNNER_TEMP: temp,
              GITHUB_OUTPUT: join(temp, 'output'),
              GITHUB_STEP_SUMMARY: join(temp, 'summary.md'),
              HEAD_SHA: 'a'.repeat(40),
              PLAN_RUN_ID: '42',
              PR_BASE_SHA: '',
            },
            encoding: 'utf8',
          });
          const log = existsSync(join(temp, 'npx.log')) ? readFileSync(join(temp, 'npx.log'), 'utf8') : '';
          return {
            status: result.status,
            npx: log.split(temp).join('$RUNNER_TEMP'),
            output: readFileSync(join(temp, 'output'), 'utf8'),
            summary: readFileSync(join(temp, 'summary.md'), 'utf8'),
          };
        } finally {
          rmSync(temp, { recursive: true, force: true });
        }
      }

      (bash ? it : it.skip)('renders the summaries it downloaded, sorted', () => {
        const run = renderWith({
          'untrusted/plans/b/b-flag/summary.json': '{}',
          'untrusted/plans/a/a-flag/summary.json': '{}',
          'untrusted/affected/affected.json': '{}',
        });
        expect(run.status).toBe(0);
        expect(run.npx).toBe(
          `[kitt][render][--untrusted][--head][${'a'.repeat(40)}][--run-id][42][--out][$RUNNER_TEMP/record/plan-comment.md][--metadata-out][$RUNNER_TEMP/record/plan-record.json][--][$RUNNER_TEMP/untrusted/plans/a/a-flag/summary.json][$RUNNER_TEMP/untrusted/plans/b/b-flag/summary.json]\n`,
        );
        expect(run.output).toBe('rendered=true\n');
      });

      (bash ? it : it.skip)("passes an artifact's file names as files, even one that looks like an option", () => {
        const crafted = 'untrusted/plans/x\n--out=/tmp/evil/summary.json';
        const run = renderWith({ [crafted]: '{}' });
        expect(run.status).toBe(0);
        expect(run.npx).toContain(`[--][$RUNNER_TEMP/${crafted}]\n`);
      });

      (bash ? it : it.skip)('renders the empty record from the affected report when there are no summaries', () => {
        const run = renderWith({ 'untrusted/affected/affected.json': '{}' });
        expect(run.npx).toMatch(
          /^\[kitt\]\[render\]\[--untrusted\]\[--empty\]\[--affected-file\]\[\$RUNNER_TEMP\/untrusted\/affected\/affected\.json\]\[--head\]/,
        );
        expect(run.output).toBe('rendered=true\n');
      });

      (bash ? it : it.skip)('posts nothing, and says why, when the plan run found no stacks', () => {
        const run = renderWith({});
        expect(run.status).toBe(0);
        expect(run.npx).toBe('');
        expect(run.output).toBe('');
        expect(run.summary).toContain("its 'Affected stacks' job failed");
      });
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
  it('pass the fixtures that keep every rule, which are schema-valid', () => {
    expect(schemaErrors(GOOD)).toEqual([]);
    expect(checkWorkflow(GOOD)).toEqual([]);
    expect(schemaErrors(GOOD_RECORD)).toEqual([]);
    expect(checkWorkflow(GOOD_RECORD)).toEqual([]);
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

  /** Bad fixtures: good.yml (or good-record.yml) with one rule broken; `also`: rules the same edit rightly breaks too. */
  const breaks: ReadonlyArray<{
    rule: WorkflowRule;
    what: string;
    edits: ReadonlyArray<readonly [from: string, to: string]>;
    fixture?: 'good-record.yml';
    also?: readonly WorkflowRule[];
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
        ['    permissions: {}\n', ''],
      ],
    },
    {
      rule: WorkflowRule.PERMISSIONS_MINIMAL,
      what: 'grants write-all',
      edits: [['permissions: {}', 'permissions: write-all']],
      also: [WorkflowRule.PULL_REQUEST_READ_ONLY],
    },
    {
      rule: WorkflowRule.PERMISSIONS_MINIMAL,
      what: 'grants a write at the top',
      edits: [['permissions: {}', 'permissions:\n  contents: write']],
      also: [WorkflowRule.PULL_REQUEST_READ_ONLY],
    },
    {
      rule: WorkflowRule.PERMISSIONS_MINIMAL,
      what: 'grants id-token: write to a job without OIDC',
      edits: [['    permissions: {}\n', '    permissions:\n      id-token: write\n']],
    },
    {
      rule: WorkflowRule.PERMISSIONS_MINIMAL,
      what: 'grants pull-requests: write to a job that posts nothing',
      fixture: 'good-record.yml',
      edits: [['        run: npx kitt comment', '        run: echo kitt-comment']],
    },
    {
      rule: WorkflowRule.PERMISSIONS_MINIMAL,
      what: 'grants contents: write to a job',
      edits: [['      contents: read\n', '      contents: write\n']],
      also: [WorkflowRule.PULL_REQUEST_READ_ONLY],
    },
    {
      rule: WorkflowRule.PERMISSIONS_MINIMAL,
      what: 'grants statuses: write to a workflow_run job that sets no status',
      fixture: 'good-record.yml',
      edits: [['      pull-requests: write\n', '      pull-requests: write\n      statuses: write\n']],
    },
    {
      rule: WorkflowRule.PULL_REQUEST_READ_ONLY,
      what: 'posts a comment from a pull_request workflow',
      edits: [
        ['    permissions: {}\n', '    permissions:\n      pull-requests: write\n'],
        [
          '        run: echo "planned pull request $PR_NUMBER"',
          '        run: npx kitt comment --pr "$PR_NUMBER" --body-file c.md',
        ],
      ],
    },
    {
      rule: WorkflowRule.PULL_REQUEST_READ_ONLY,
      what: 'gives a pull_request job a write token besides id-token',
      edits: [['      id-token: write\n', '      id-token: write\n      statuses: write\n']],
      also: [WorkflowRule.PERMISSIONS_MINIMAL],
    },
    {
      rule: WorkflowRule.WORKFLOW_RUN_TRUSTED_CODE,
      what: "checks out the pull request's head in a workflow_run job",
      fixture: 'good-record.yml',
      edits: [
        [
          '          persist-credentials: false\n',
          '          persist-credentials: false\n          ref: ${{ github.event.workflow_run.head_sha }}\n',
        ],
      ],
    },
    {
      rule: WorkflowRule.WORKFLOW_RUN_TRUSTED_CODE,
      what: "checks out the pull request's repository in a workflow_run job",
      fixture: 'good-record.yml',
      edits: [
        [
          '          persist-credentials: false\n',
          '          persist-credentials: false\n          repository: ${{ github.event.workflow_run.head_repository.full_name }}\n',
        ],
      ],
    },
    {
      rule: WorkflowRule.WORKFLOW_RUN_TRUSTED_CODE,
      what: 'fetches the head commit with git in a workflow_run job',
      fixture: 'good-record.yml',
      edits: [['        run: npx kitt render', '        run: git fetch origin "$HEAD_SHA" && npx kitt render']],
    },
    {
      rule: WorkflowRule.WORKFLOW_RUN_TRUSTED_CODE,
      what: 'downloads artifacts into the workspace in a workflow_run job',
      fixture: 'good-record.yml',
      edits: [['          path: ${{ runner.temp }}/untrusted\n', '          path: out/plans\n']],
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
      edits: [['request $PR_NUMBER', 'request ${{ needs.plan.outputs.pr }}']],
    },
    {
      rule: WorkflowRule.NO_EXPRESSIONS_IN_RUN,
      what: "splices the workflow_run event's data into run",
      fixture: 'good-record.yml',
      edits: [['--pr "$PR_NUMBER"', '--pr ${{ github.event.workflow_run.pull_requests[0].number }}']],
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

  it.each(breaks)('$rule: a workflow that $what', ({ rule, edits, fixture, also = [] }) => {
    let bad = fixture === 'good-record.yml' ? GOOD_RECORD : GOOD;
    for (const [from, to] of edits) {
      expect(bad).toContain(from);
      bad = bad.replace(from, to);
    }
    expect(schemaErrors(bad)).toEqual([]);
    expect([...new Set(checkWorkflow(bad).map((v) => v.rule))].sort()).toEqual([rule, ...also].sort());
  });
});
