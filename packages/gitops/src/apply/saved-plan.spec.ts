/**
 * The saved-plan behaviour the apply relies on, checked against the real terraform binary on a `terraform_data`
 * stack (skipped where terraform is absent) and against the stand-in the apply tests use, with the same
 * assertions: a plan after an apply shows no changes, a saved plan whose state has moved on is refused, and a
 * plan under the state lock waits for an apply that holds it (or fails with terraform's words at its timeout).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprintPlan } from '../plan/fingerprint';
import { findExecutable } from '../terraform/binary';
import { runStack } from '../terraform/run-stack';
import { failureText } from '../terraform/stack-summary';
import { STATEFUL_TERRAFORM } from './__fixtures__/journey';
import { applySavedPlan, terraformVersion } from './terraform-apply';

const REAL = findExecutable('terraform', process.env);
if (!REAL) console.warn('saved-plan.spec: terraform is not on PATH: only the stand-in is checked');

const binaries = [['the stand-in', STATEFUL_TERRAFORM], ...(REAL ? [['terraform 1.11', REAL]] : [])] as [
  string,
  string,
][];

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kitt-saved-plan-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function stack(input: unknown): { dir: string; env: Record<string, string | undefined> } {
  const dir = join(root, 'stack');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify({ resource: { terraform_data: { this: { input } } } }));
  return {
    dir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      CHECKPOINT_DISABLE: '1',
      AWS_EC2_METADATA_DISABLED: 'true',
      TF_IN_AUTOMATION: '1',
      FAKE_TF_STATE_DIR: join(root, 'state'),
    },
  };
}

/** A stack whose apply takes a few seconds, holding the state lock: the real binary sleeps in a provisioner. */
function slowStack(binary: string): { dir: string; env: Record<string, string | undefined>; lockFile: string } {
  const { dir, env } = stack({ cidr: '10.1.0.0/16' });
  const real = binary !== STATEFUL_TERRAFORM;
  if (real) {
    const resource = { input: { cidr: '10.1.0.0/16' }, provisioner: [{ 'local-exec': { command: 'sleep 3' } }] };
    writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify({ resource: { terraform_data: { this: resource } } }));
  }
  return {
    dir,
    env: { ...env, FAKE_TF_APPLY_DELAY_MS: '3000' },
    // The local backend's lock info file; the stand-in keeps its lock beside the state, as the S3 backend does.
    lockFile: real ? join(dir, '.terraform.tfstate.lock.info') : join(root, 'state', 'stack.json.tflock'),
  };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 25));
}

describe.each(binaries)('%s', (_name, binary) => {
  it('fails with "Error acquiring the state lock" while an apply holds it, and waits for it within -lock-timeout', async () => {
    const { dir, env, lockFile } = slowStack(binary);
    await runStack({ dir, planFile: join(root, 'a.tfplan'), binary, env, lock: true });
    const slow = applySavedPlan({ dir, planFile: join(root, 'a.tfplan'), binary, env });
    await until(() => existsSync(lockFile));

    const [blocked, waited] = await Promise.all([
      runStack({ dir, planFile: join(root, 'b.tfplan'), binary, env, lock: true, lockTimeout: '0s' }),
      runStack({ dir, planFile: join(root, 'c.tfplan'), binary, env, lock: true, lockTimeout: '60s' }),
    ]);

    expect(blocked.outcome).toBe('failed');
    if (blocked.outcome === 'failed') {
      expect(blocked.failure.exitCode).toBe(1);
      expect(failureText(blocked.failure)).toContain('Error: Error acquiring the state lock');
      expect(failureText(blocked.failure)).toContain('Operation: OperationTypeApply');
    }
    expect(await slow).toEqual({ ok: true });
    expect(waited.outcome === 'planned' && waited.hasChanges).toBe(false); // it planned after the apply
  }, 30_000);

  it('shows no changes in a plan after the saved plan is applied, and the same change has the same fingerprint', async () => {
    const { dir, env } = stack({ cidr: '10.1.0.0/16' });
    const first = await runStack({ dir, planFile: join(root, 'a.tfplan'), binary, env, lock: true });
    const second = await runStack({ dir, planFile: join(root, 'b.tfplan'), binary, env, lock: true });
    if (first.outcome !== 'planned' || second.outcome !== 'planned') throw new Error('plan failed');
    expect(first.hasChanges).toBe(true);
    expect(fingerprintPlan(first.planJson)).toBe(fingerprintPlan(second.planJson));

    expect(await applySavedPlan({ dir, planFile: join(root, 'a.tfplan'), binary, env })).toEqual({ ok: true });
    const after = await runStack({ dir, planFile: join(root, 'c.tfplan'), binary, env, lock: true });
    expect(after.outcome === 'planned' && after.hasChanges).toBe(false);
  });

  it('refuses a saved plan whose state has moved on since it was made', async () => {
    const { dir, env } = stack({ cidr: '10.1.0.0/16' });
    await runStack({ dir, planFile: join(root, 'a.tfplan'), binary, env, lock: true });
    await runStack({ dir, planFile: join(root, 'b.tfplan'), binary, env, lock: true });
    expect(await applySavedPlan({ dir, planFile: join(root, 'a.tfplan'), binary, env })).toEqual({ ok: true });
    const stale = await applySavedPlan({ dir, planFile: join(root, 'b.tfplan'), binary, env });
    expect(stale.ok).toBe(false);
    expect(!stale.ok && stale.message).toContain('Saved plan is stale');
  });

  it('names its version', async () => {
    const { dir, env } = stack({});
    expect(await terraformVersion(binary, env, dir)).toMatch(/^1\.11\.\d+$/);
  });
});
