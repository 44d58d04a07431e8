import { validateWorkflow } from '@action-validator/core';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { checkWorkflow, triggersOf, WorkflowRule } from './workflow-rules';

type Workflow = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DRIFT_YML = readFileSync(resolve(__dirname, '../../../../.github/workflows/drift.yml'), 'utf8');
const GOOD = readFileSync(join(__dirname, '__fixtures__', 'good-drift.yml'), 'utf8');
const drift = parse(DRIFT_YML) as Workflow;

describe('drift.yml', () => {
  it('matches the schema and keeps every rule', () => {
    expect(validateWorkflow(DRIFT_YML).errors).toEqual([]);
    expect(checkWorkflow(DRIFT_YML)).toEqual([]);
  });

  it('runs on a schedule and by hand, for main only', () => {
    expect(triggersOf(drift).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(drift.jobs.flags.if).toBe("github.ref == 'refs/heads/main'");
    expect(drift.jobs.report.if).toContain("github.ref == 'refs/heads/main'");
  });

  it('plans every FLAG of main, one job per entry of kitt drift --matrix, under the plan role', () => {
    const plan = drift.jobs.plan;
    expect(plan.strategy).toEqual({ 'fail-fast': false, matrix: '${{ fromJSON(needs.flags.outputs.matrix) }}' });
    const steps = plan.steps as Workflow[];
    const oidc = steps.find((s) => String(s.uses).startsWith('aws-actions/configure-aws-credentials@'));
    expect(oidc?.with['role-to-assume']).toBe('${{ matrix.planRoleArn }}');
    expect(steps.find((s) => /kitt plan/.test(String(s.run)))?.run).toContain('npx kitt plan "${flag_dirs[@]}"');
  });

  it('grants issues: write only to the report job, which holds no AWS credentials', () => {
    expect(drift.permissions).toEqual({});
    expect(drift.jobs.flags.permissions).toEqual({ contents: 'read' });
    expect(drift.jobs.plan.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(drift.jobs.report.permissions).toEqual({
      contents: 'read',
      issues: 'write',
      'pull-requests': 'read',
    });
  });

  it('reports even when some plans failed, but not when the FLAGs could not be listed', () => {
    expect(drift.jobs.report.needs).toEqual(['flags', 'plan']);
    expect(drift.jobs.report.if).toMatch(/^always\(\) && .* && needs\.flags\.result == 'success'$/);
  });
});

describe('the drift rules can fail', () => {
  it('pass the fixture that keeps them', () => {
    expect(validateWorkflow(GOOD).errors).toEqual([]);
    expect(checkWorkflow(GOOD)).toEqual([]);
  });

  const issues = '      contents: read\n      issues: write\n';
  it.each([
    ['writes issues on pull_request', ['on:\n  schedule:', 'on:\n  pull_request:\n  schedule:'], 'on'],
    [
      'writes issues from any branch',
      ["if: always() && github.ref == 'refs/heads/main'", 'if: always()'],
      'jobs.report.if',
    ],
    [
      'holds AWS credentials beside issues: write',
      [issues, `${issues}      id-token: write\n`],
      'jobs.report.permissions',
    ],
    [
      'checks out another ref',
      [
        '          persist-credentials: false\n      - run: npm ci',
        '          persist-credentials: false\n          ref: ${{ github.event.inputs.ref }}\n      - run: npm ci',
      ],
      'jobs.report',
    ],
    ['runs another program', ['mkdir -p "$RUNNER_TEMP/plans"', 'bash "$RUNNER_TEMP/plans/x.sh"'], 'jobs.report'],
    ['runs a script of the repository', ['npm ci --no-audit --no-fund', 'npm run build'], 'jobs.report'],
  ])('when it %s', (_what, [from, to], where) => {
    const bad = GOOD.replace(from as string, to as string);
    expect(bad).not.toBe(GOOD);
    expect(checkWorkflow(bad)).toEqual(
      expect.arrayContaining([expect.objectContaining({ rule: WorkflowRule.DRIFT_ISSUES_TRUSTED, where })]),
    );
  });

  it('when a job holds issues: write and runs neither kitt drift nor kitt comment', () => {
    const bad = GOOD.replace('npx kitt drift --plans "$RUNNER_TEMP/plans"', 'echo drift');
    expect(checkWorkflow(bad)).toEqual([
      expect.objectContaining({ rule: WorkflowRule.PERMISSIONS_MINIMAL, where: 'jobs.report.permissions.issues' }),
    ]);
  });
});
