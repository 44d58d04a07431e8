import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateTerraform } from './binary';
import { runProcess } from './process';
import { readPlanExitCode, runStack, terraformArgs, type StackRun } from './run-stack';
import { stackResultOf } from './stack-summary';

// Built-in `terraform_data` only and a local backend: no provider download, no cloud credentials.
const testEnv = { ...process.env, CHECKPOINT_DISABLE: '1', AWS_EC2_METADATA_DISABLED: 'true', TF_IN_AUTOMATION: '1' };
const terraform = locateTerraform(testEnv);
const describeWithTerraform = terraform.path ? describe : describe.skip;
if (!terraform.path)
  console.log(`runStack: '${terraform.command}' is not on PATH; skipping the tests against the real binary`);

describe('readPlanExitCode', () => {
  it('reads 0 as no changes', () => expect(readPlanExitCode(0)).toBe('no-changes'));
  it('reads 2 as changes', () => expect(readPlanExitCode(2)).toBe('changes'));
  it('reads 1 as an error', () => expect(readPlanExitCode(1)).toBe('error'));
  it('reads a process killed by a signal as an error', () => expect(readPlanExitCode(null)).toBe('error'));
});

describe('terraformArgs', () => {
  it('plans without prompts, with a detailed exit code, without the state lock and with a saved plan', () => {
    expect(terraformArgs('/out/x/tfplan')).toEqual({
      init: ['init', '-input=false', '-no-color'],
      plan: ['plan', '-input=false', '-no-color', '-detailed-exitcode', '-lock=false', '-out=/out/x/tfplan'],
      show: ['show', '-json', '/out/x/tfplan'],
    });
  });

  it('takes the state lock, with its timeout, only when asked', () => {
    const locked = terraformArgs('/out/x/tfplan', { lock: true, lockTimeout: '3m' });
    expect(locked.plan).toEqual([
      'plan',
      '-input=false',
      '-no-color',
      '-detailed-exitcode',
      '-lock-timeout=3m',
      '-out=/out/x/tfplan',
    ]);
    expect(terraformArgs('/out/x/tfplan', { lockTimeout: '3m' }).plan).not.toContain('-lock-timeout=3m');
  });

  it('plans a destroy with -destroy, keeping the detailed exit code and the saved plan', () => {
    expect(terraformArgs('/out/x/tfplan', { destroy: true }).plan).toEqual([
      'plan',
      '-input=false',
      '-no-color',
      '-destroy',
      '-detailed-exitcode',
      '-lock=false',
      '-out=/out/x/tfplan',
    ]);
  });

  it('passes each variable as -var name=value, sorted by name, before the saved plan', () => {
    const variables = { kube_api_host: 'https://127.0.0.1:40123', a: 'b c' };
    expect(terraformArgs('/out/x/tfplan', { variables }).plan).toEqual([
      'plan',
      '-input=false',
      '-no-color',
      '-detailed-exitcode',
      '-lock=false',
      '-var',
      'a=b c',
      '-var',
      'kube_api_host=https://127.0.0.1:40123',
      '-out=/out/x/tfplan',
    ]);
  });

  it('plans no destroy unless asked', () => {
    expect(terraformArgs('/out/x/tfplan').plan).not.toContain('-destroy');
  });

  it('keeps a plan path with spaces and quotes as one argument', () => {
    expect(terraformArgs(`/o u t/it's/tfplan`).show).toEqual(['show', '-json', `/o u t/it's/tfplan`]);
  });
});

describeWithTerraform('runStack against the real terraform binary', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kitt-run-stack-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** A stack directory with a local backend inside the temporary root. */
  function stackDir(config: Record<string, unknown>): string {
    const dir = join(root, 'stacks', 'demo');
    mkdirSync(dir, { recursive: true });
    const backend = { local: { path: join(root, 'demo.tfstate') } };
    writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify({ terraform: { backend }, ...config }, null, 2));
    return dir;
  }

  function plan(dir: string): Promise<StackRun> {
    return runStack({ dir, planFile: join(root, 'tfplan'), binary: terraform.command, env: testEnv });
  }

  const oneResource = { resource: { terraform_data: { marker: { input: 'v1' } } } };

  it('reports changes (exit 2) with the plan JSON of a new resource', async () => {
    const run = await plan(stackDir(oneResource));
    expect(run.outcome).toBe('planned');
    if (run.outcome !== 'planned') return;
    expect(run.hasChanges).toBe(true);
    const changes = (run.planJson as { resource_changes: { address: string; change: { actions: string[] } }[] })
      .resource_changes;
    expect(changes.map((c) => [c.address, c.change.actions])).toEqual([['terraform_data.marker', ['create']]]);
  });

  it('reports no changes (exit 0) for an empty configuration', async () => {
    const run = await plan(stackDir({}));
    expect(run).toMatchObject({ outcome: 'planned', hasChanges: false });
  });

  it('reports no changes (exit 0) once the configuration is applied', async () => {
    const dir = stackDir(oneResource);
    expect((await plan(dir)).outcome).toBe('planned');
    const apply = await runProcess(terraform.command, ['apply', '-input=false', '-auto-approve', '-no-color'], {
      cwd: dir,
      env: testEnv,
    });
    expect(apply.exitCode).toBe(0);
    const run = await plan(dir);
    expect(run).toMatchObject({ outcome: 'planned', hasChanges: false });
  });

  it('plans the destroy of an applied stack (exit 2), with every resource and output deleted in the summary', async () => {
    const dir = stackDir({ ...oneResource, output: { marker: { value: '${terraform_data.marker.output}' } } });
    expect(
      (await runProcess(terraform.command, ['init', '-input=false', '-no-color'], { cwd: dir, env: testEnv })).exitCode,
    ).toBe(0);
    expect(
      (
        await runProcess(terraform.command, ['apply', '-input=false', '-auto-approve', '-no-color'], {
          cwd: dir,
          env: testEnv,
        })
      ).exitCode,
    ).toBe(0);
    const run = await runStack({
      dir,
      planFile: join(root, 'tfplan'),
      binary: terraform.command,
      env: testEnv,
      destroy: true,
    });
    expect(run).toMatchObject({ outcome: 'planned', hasChanges: true });
    if (run.outcome !== 'planned') return;
    const result = stackResultOf(
      { flagId: 'demo-prod-us-east-1', stack: 'demo-prod-us-east-1-flag', layer: 'flag' },
      { status: 'planned', planJson: run.planJson },
      undefined,
      {},
    );
    expect(result.status).toBe('changes');
    expect(result.summary?.counts).toMatchObject({ delete: 1, create: 0, update: 0 });
    expect(result.summary?.resources.map((r) => [r.address, r.action])).toEqual([['terraform_data.marker', 'delete']]);
    expect(result.summary?.outputs.map((o) => [o.name, o.action])).toEqual([['marker', 'delete']]);
  });

  it('plans nothing to destroy (exit 0) for a stack that was never applied', async () => {
    const run = await runStack({
      dir: stackDir(oneResource),
      planFile: join(root, 'tfplan'),
      binary: terraform.command,
      env: testEnv,
      destroy: true,
    });
    expect(run).toMatchObject({ outcome: 'planned', hasChanges: false });
  });

  it('saves the plan where it was asked to, and show -json reads that file', async () => {
    const run = await plan(stackDir(oneResource));
    expect(run.outcome).toBe('planned');
    const again = await runProcess(terraform.command, ['show', '-json', join(root, 'tfplan')], {
      cwd: join(root, 'stacks', 'demo'),
      env: testEnv,
    });
    expect(again.exitCode).toBe(0);
    expect(run.outcome === 'planned' && JSON.parse(run.planJsonText)).toEqual(JSON.parse(again.stdout));
  });

  it('fails the plan step (exit 1) on an invalid reference and keeps the error text', async () => {
    const run = await plan(
      stackDir({ resource: { terraform_data: { a: { input: '${terraform_data.missing.output}' } } } }),
    );
    expect(run.outcome).toBe('failed');
    if (run.outcome !== 'failed') return;
    expect(run.failure).toMatchObject({ step: 'plan', exitCode: 1, message: 'terraform plan exited with code 1' });
    expect(run.failure.stderr).toContain('Reference to undeclared resource');
  });

  it('fails the plan step (exit 1) on a failing precondition and keeps its message', async () => {
    const lifecycle = {
      precondition: [
        { condition: '${length(var.marker) == 3}', error_message: 'The marker must be three characters.' },
      ],
    };
    const variable = { marker: { type: 'string', default: 'ab' } };
    const run = await plan(
      stackDir({ variable, resource: { terraform_data: { a: { input: '${var.marker}', lifecycle } } } }),
    );
    expect(run.outcome === 'failed' && run.failure.step).toBe('plan');
    expect(run.outcome === 'failed' && run.failure.stderr).toContain('The marker must be three characters.');
  });

  it('stops at init when the backend does not exist, with its output', async () => {
    const dir = join(root, 'stacks', 'bad');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify({ terraform: { backend: { nonesuch: {} } } }));
    const run = await runStack({ dir, planFile: join(root, 'tfplan'), binary: terraform.command, env: testEnv });
    expect(run.outcome === 'failed' && run.failure.step).toBe('init');
    expect(run.outcome === 'failed' && run.failure.stderr).toContain('nonesuch');
  });
});

describe('runStack without a binary', () => {
  it('reports a binary that cannot be started as a failed init, not a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kitt-run-stack-'));
    try {
      const run = await runStack({
        dir,
        planFile: join(dir, 'tfplan'),
        binary: join(dir, 'no-such-terraform'),
        env: testEnv,
      });
      expect(run.outcome === 'failed' && run.failure).toMatchObject({ step: 'init', exitCode: null });
      expect(run.outcome === 'failed' && run.failure.message).toContain('could not start');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
