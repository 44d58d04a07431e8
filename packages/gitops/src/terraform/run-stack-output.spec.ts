/**
 * What a stack's error text may carry when Terraform misbehaves: never `show -json`'s stdout (the plan, every
 * sensitive value in clear), and no stream uncapped. Runs the stand-in terraform printing a planted secret.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { StackResult } from '../plan/record';
import {
  DEMO_FLAG,
  DEMO_STACKS,
  STAND_IN_TERRAFORM,
  standInWorkspace,
  type StackScenario,
  type StandInWorkspace,
} from './__fixtures__/stand-in';
import { planStacks } from './plan-flags';
import { runStack, type StackRun } from './run-stack';
import { readSynthManifest } from '../stacks/synth-manifest';
import { STEP_OUTPUT_MAX_CHARS } from './step-output';

const SECRETS = ['PLANTED-variable-s3cr3t', 'PLANTED-attribute-s3cr3t'];
const { flag } = DEMO_STACKS;

let ws: StandInWorkspace;
beforeEach(() => {
  ws = standInWorkspace();
});
afterEach(() => rmSync(ws.root, { recursive: true, force: true }));

async function runFlagStack(scenario: StackScenario): Promise<StackRun> {
  ws.scenario({ [flag]: scenario });
  // `init` of the stand-in needs the stack's directory as cdktf wrote it.
  const [stack] = readSynthManifest(join(ws.synthOut, DEMO_FLAG), DEMO_FLAG).filter((s) => s.stack === flag);
  return runStack({ dir: stack!.dir, planFile: join(ws.root, 'tfplan'), binary: STAND_IN_TERRAFORM, env: ws.env });
}

/** The flag stack's `summary.json` after `planStacks` with the stand-in answering `scenario`. */
async function summaryWith(scenario: StackScenario): Promise<StackResult> {
  ws.scenario({ '*': scenario });
  await planStacks({
    stacks: readSynthManifest(join(ws.synthOut, DEMO_FLAG), DEMO_FLAG),
    outDir: ws.planOut,
    binary: STAND_IN_TERRAFORM,
    env: ws.env,
  });
  return JSON.parse(readFileSync(join(ws.planOut, DEMO_FLAG, flag, 'summary.json'), 'utf8')) as StackResult;
}

const withSecret = { plan: 2, planJson: 'planted-secret.json' } as const;
const cutInsideSecret =
  readFileSync(join(__dirname, '__fixtures__/plans/planted-secret.json'), 'utf8').indexOf('PLANTED-attribute-s3cr3t') +
  10;

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('a show -json that prints more than the JSON', () => {
  it('plans from a whole JSON object followed by a warning line, and keeps the object alone', async () => {
    const run = await runFlagStack({ ...withSecret, show: { after: '\nWarning: a provider said something\n' } });
    expect(run.outcome).toBe('planned');
    if (run.outcome !== 'planned') return;
    expect(run.planJsonText).not.toContain('Warning');
    expect(JSON.parse(run.planJsonText)).toEqual(run.planJson);
  });

  it('writes a summary without the secrets when a warning follows the JSON', async () => {
    const result = await summaryWith({ ...withSecret, show: { after: '\nWarning: a provider said something\n' } });
    expect(result.status).toBe('changes');
    expectNoSecret(JSON.stringify(result));
  });
});

describe('a show -json that fails', () => {
  it('reports a kill mid-write by its signal, stderr and the byte count, never the plan it printed', async () => {
    const run = await runFlagStack({
      ...withSecret,
      show: { cutAt: cutInsideSecret, signal: 'SIGKILL', stderr: 'killed by the job timeout\n' },
    });
    expect(run.outcome === 'failed' && run.failure).toMatchObject({
      step: 'show',
      exitCode: null,
      signal: 'SIGKILL',
      message: 'terraform show was killed by SIGKILL',
      stdout: '',
      stdoutBytes: cutInsideSecret,
      stderr: 'killed by the job timeout\n',
    });
  });

  it('writes a summary whose error says the step, signal, stderr and byte count, without the secrets', async () => {
    const result = await summaryWith({
      ...withSecret,
      show: { cutAt: cutInsideSecret, signal: 'SIGKILL', stderr: 'killed by the job timeout\n' },
    });
    expect(result.status).toBe('error');
    expect(result.error).toContain('terraform show was killed by SIGKILL');
    expect(result.error).toContain('killed by the job timeout');
    expect(result.error).toContain(`stdout: ${cutInsideSecret} bytes of plan data, not shown`);
    expectNoSecret(JSON.stringify(result));
  });

  it('keeps the whole plan out of the error when show exits non-zero after printing it', async () => {
    const result = await summaryWith({ ...withSecret, show: { exit: 1, stderr: 'Error: something late\n' } });
    expect(result.error).toContain('terraform show exited with code 1');
    expect(result.error).toContain('Error: something late');
    expectNoSecret(JSON.stringify(result));
  });

  it('fails closed with PLAN_NOT_JSON when show exits 0 with its JSON cut short', async () => {
    const run = await runFlagStack({ ...withSecret, show: { cutAt: cutInsideSecret } });
    expect(run.outcome === 'failed' && run.failure).toMatchObject({ step: 'show', exitCode: 0, code: 'PLAN_NOT_JSON' });
    expectNoSecret(JSON.stringify(run));
  });

  it('fails closed without quoting the output when the JSON object is not valid JSON', async () => {
    const run = await runFlagStack({
      ...withSecret,
      show: { cutAt: 0, after: '{"password": PLANTED-attribute-s3cr3t}\n' },
    });
    expect(run.outcome === 'failed' && run.failure.code).toBe('PLAN_NOT_JSON');
    expectNoSecret(JSON.stringify(run));
  });
});

describe('output of other steps', () => {
  it('caps stderr, keeping its start and end and saying how much was cut', async () => {
    const stderr = `first line\n${'x'.repeat(100_000)}\nlast line`;
    const run = await runFlagStack({ plan: 1, stderr });
    if (run.outcome !== 'failed') throw new Error('expected a failure');
    expect(run.failure.stderr.length).toBeLessThan(STEP_OUTPUT_MAX_CHARS + 100);
    expect(run.failure.stderr.startsWith('\nError: first line\n')).toBe(true);
    expect(run.failure.stderr.endsWith('last line\n\n')).toBe(true);
    const printed = `\nError: ${stderr}\n\n`.length; // the stand-in prints `\nError: <stderr>\n\n`
    expect(run.failure.stderr).toContain(`(${printed - STEP_OUTPUT_MAX_CHARS} of ${printed} characters cut)`);
  });

  it("caps the plan step's stdout (the human-readable plan) and counts its bytes", async () => {
    const planStdout = `Terraform will perform the following actions:\n${'  + resource\n'.repeat(20_000)}`;
    const run = await runFlagStack({ plan: 1, planStdout });
    if (run.outcome !== 'failed') throw new Error('expected a failure');
    expect(run.failure.step).toBe('plan');
    expect(run.failure.stdout.length).toBeLessThan(STEP_OUTPUT_MAX_CHARS + 100);
    expect(run.failure.stdout.startsWith('Terraform will perform')).toBe(true);
    expect(run.failure.stdoutBytes).toBe(Buffer.byteLength(planStdout));
  });
});
