/**
 * The saved-plan behaviour the apply relies on, checked against the real terraform binary on a `terraform_data`
 * stack (skipped where terraform is absent) and against the stand-in the apply tests use, with the same
 * assertions: a plan after an apply shows no changes, and a saved plan whose state has moved on is refused.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprintPlan } from '../plan/fingerprint';
import { findExecutable } from '../terraform/binary';
import { runStack } from '../terraform/run-stack';
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

describe.each(binaries)('%s', (_name, binary) => {
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
