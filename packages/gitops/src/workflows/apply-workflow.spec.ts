import { validateWorkflow } from '@action-validator/core';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { checkWorkflow, triggersOf, WorkflowRule } from './workflow-rules';

type Workflow = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const APPLY_YML = readFileSync(resolve(__dirname, '../../../../.github/workflows/apply.yml'), 'utf8');
const GOOD = readFileSync(join(__dirname, '__fixtures__', 'good-apply.yml'), 'utf8');
const apply = parse(APPLY_YML) as Workflow;

describe('apply.yml', () => {
  it('matches the schema and keeps every rule', () => {
    expect(validateWorkflow(APPLY_YML).errors).toEqual([]);
    expect(checkWorkflow(APPLY_YML)).toEqual([]);
  });

  it('runs on push to main, and by hand for one FLAG (a retry, or an approval)', () => {
    expect(triggersOf(apply)).toEqual(['push', 'workflow_dispatch']);
    expect(apply.on.push.branches).toEqual(['main']);
    expect(Object.keys(apply.on.workflow_dispatch.inputs)).toEqual(['flag', 'pr', 'record']);
    expect(apply.on.workflow_dispatch.inputs.flag.required).toBe(true);
  });

  it('gives a run started by hand the matrix of its FLAG, through env, never inside run', () => {
    const step = (apply.jobs.flags.steps as Workflow[]).find((s) => s.id === 'flags');
    expect(step?.env).toEqual({ INPUT_FLAG: '${{ inputs.flag }}' });
    expect(step?.run).toContain('npx kitt apply --matrix-flag "$INPUT_FLAG"');
  });

  it('approves a follow-up record in the FLAG’s apply job, after the gate of its Environment <env>-approval', () => {
    const gate = apply.jobs.approval;
    expect(gate.environment).toBe('${{ matrix.environment }}-approval');
    expect(gate.permissions).toEqual({});
    expect(gate.if).toBe(
      "github.ref == 'refs/heads/main' && github.event_name == 'workflow_dispatch' && inputs.pr != ''",
    );
    expect(apply.jobs.apply.needs).toEqual(['flags', 'approval']);
    expect(apply.jobs.apply.if).toContain("always() && github.ref == 'refs/heads/main' && ");
    expect(apply.jobs.apply.if).toContain("needs.approval.result != 'failure'");
    const run = (apply.jobs.apply.steps as Workflow[]).find((s) => /kitt apply/.test(String(s.run)));
    expect(run?.run).toContain(
      'npx kitt apply --approve --pr "$APPROVE_PR" --record "$APPROVE_RECORD" --commit "$GITHUB_SHA" --flag "$FLAG_DIR"',
    );
  });

  it('applies one FLAG per job, in its Environment, never two of one FLAG at once and never cancelled', () => {
    const job = apply.jobs.apply;
    expect(job.strategy.matrix).toBe('${{ fromJSON(needs.flags.outputs.matrix) }}');
    expect(job.environment).toBe('${{ matrix.environment }}');
    expect(job.concurrency).toEqual({ group: 'apply-${{ matrix.name }}', 'cancel-in-progress': false });
    expect(apply.concurrency).toBeUndefined();
  });

  it('grants the apply job only what kitt apply needs, and the matrix job only to read the code', () => {
    expect(apply.permissions).toEqual({});
    expect(apply.jobs.flags.permissions).toEqual({ contents: 'read' });
    expect(apply.jobs.apply.permissions).toEqual({
      contents: 'read',
      actions: 'read',
      'pull-requests': 'write',
      'id-token': 'write',
    });
  });

  it('assumes the apply role of the matrix through OIDC, and runs kitt apply for the pushed commit and its FLAG', () => {
    const steps = apply.jobs.apply.steps as Workflow[];
    const oidc = steps.find((s) => String(s.uses).startsWith('aws-actions/configure-aws-credentials@'));
    expect(oidc?.with['role-to-assume']).toBe('${{ matrix.applyRoleArn }}');
    expect(oidc?.with['allowed-account-ids']).toBe('${{ matrix.accountId }}');
    const run = steps.find((s) => /kitt apply/.test(String(s.run)));
    expect(run?.run).toContain('--commit "$GITHUB_SHA" --flag "$FLAG_DIR"');
    expect(run?.env).toEqual({
      GITHUB_TOKEN: '${{ github.token }}',
      FLAG_DIR: '${{ matrix.flagDir }}',
      APPROVE_PR: '${{ inputs.pr }}',
      APPROVE_RECORD: '${{ inputs.record }}',
    });
  });

  it('keeps the saved plans in the runner’s temporary directory and uploads only the apply record', () => {
    const steps = apply.jobs.apply.steps as Workflow[];
    expect(steps.find((s) => /kitt apply/.test(String(s.run)))?.run).toContain('--out "$RUNNER_TEMP/apply-plans"');
    const uploads = steps.filter((s) => String(s.uses).startsWith('actions/upload-artifact@'));
    expect(uploads.map((s) => s.with.path)).toEqual(['${{ runner.temp }}/apply-record/*.json']);
  });
});

describe('the apply rules can fail', () => {
  it('pass the fixture that keeps them', () => {
    expect(validateWorkflow(GOOD).errors).toEqual([]);
    expect(checkWorkflow(GOOD)).toEqual([]);
  });

  it.each([
    ['runs on pull_request', ['on:\n  push:\n    branches: [main]\n', 'on:\n  pull_request:\n'], 'on'],
    ['runs on push to any branch', ['    branches: [main]\n', '    branches: ["**"]\n'], 'on.push'],
    ['applies outside an Environment', ['    environment: production\n', ''], 'jobs.apply'],
    ['groups all FLAGs together', ['apply-${{ matrix.name }}', 'apply'], 'jobs.apply.concurrency'],
    [
      'cancels an apply in progress',
      ['cancel-in-progress: false', 'cancel-in-progress: true'],
      'jobs.apply.concurrency',
    ],
  ])('when it %s', (_what, [from, to], where) => {
    const bad = GOOD.replace(from as string, to as string);
    expect(bad).not.toBe(GOOD);
    expect(checkWorkflow(bad)).toEqual(
      expect.arrayContaining([expect.objectContaining({ rule: WorkflowRule.APPLY_GUARDED, where })]),
    );
  });

  it('when it applies without OIDC credentials', () => {
    const bad = GOOD.replace(/ {6}- uses: aws-actions[^\n]*\n(?: {8}[^\n]*\n)+/, '').replace(
      '      id-token: write\n',
      '',
    );
    expect(checkWorkflow(bad)).toEqual([
      expect.objectContaining({ rule: WorkflowRule.APPLY_GUARDED, message: expect.stringContaining('OIDC') }),
    ]);
  });

  it('when kitt apply holds pull-requests: write in a pull request workflow', () => {
    const bad = GOOD.replace('on:\n  push:\n    branches: [main]\n', 'on:\n  pull_request:\n');
    expect(checkWorkflow(bad)).toEqual(
      expect.arrayContaining([expect.objectContaining({ rule: WorkflowRule.PULL_REQUEST_READ_ONLY })]),
    );
  });
});
