import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from './__fixtures__/stand-in';
import { failureText, PREVIEW_SKIPPED, stackResultOf } from './stack-summary';

const stack = { flagId: 'acme-prod-us-east-1', stack: 'acme-prod-us-east-1-flag', layer: 'flag' } as const;
const plan = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, 'plans', name), 'utf8'));

describe('stackResultOf', () => {
  it('summarizes a planned stack with its fingerprint, config hash and commits, and no sensitive value', () => {
    const result = stackResultOf(stack, { status: 'planned', planJson: plan('flag-create.json') }, 'abc', {
      headSha: 'h',
      baseSha: 'b',
    });
    expect(result).toMatchObject({
      kind: 'kitt-stack-result',
      version: 1,
      ...stack,
      status: 'changes',
      configHash: 'abc',
      headSha: 'h',
      baseSha: 'b',
    });
    expect(result.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(result)).not.toContain('s3cr3t-token-value');
  });

  it('turns a plan of an unknown format version into an error result, not an exception', () => {
    const result = stackResultOf(
      stack,
      { status: 'planned', planJson: { ...(plan('no-changes.json') as object), format_version: '9.0' } },
      'abc',
      {},
    );
    expect(result.status).toBe('error');
    expect(result.error).toContain('terraform show -json printed a plan kitt cannot read');
    expect(result.summary).toBeUndefined();
  });

  it('turns a plan nested 3,000 levels deep into an error result with PLAN_TOO_DEEP, not a stack overflow', () => {
    let after: unknown = 'leaf';
    for (let i = 0; i < 3_000; i++) after = { a: after };
    const change = { actions: ['create'], before: null, after };
    const planJson = {
      format_version: '1.2',
      resource_changes: [{ address: 'aws_s3_bucket.b', mode: 'managed', type: 'aws_s3_bucket', name: 'b', change }],
    };
    const result = stackResultOf(stack, { status: 'planned', planJson }, 'abc', {});
    expect(result.status).toBe('error');
    expect(result.error).toContain('at resource_changes[0].change.after');
    expect(result.error).toContain('nests more than 200 levels');
  });

  it('lists a waiting stack’s config resources with the stack it waits for', () => {
    const result = stackResultOf(
      stack,
      { status: 'waits', waitsFor: 'up', configResources: ['aws_vpc.vpc'] },
      'abc',
      {},
    );
    expect(result).toMatchObject({ status: 'waits', waitsFor: 'up', previewResources: ['aws_vpc.vpc'] });
    expect(result.fingerprint).toBeUndefined();
  });

  it('labels a preview result with what was skipped', () => {
    const result = stackResultOf(stack, { status: 'preview', configResources: [] }, 'abc', {});
    expect(result).toMatchObject({ status: 'preview', preview: { skipped: PREVIEW_SKIPPED } });
    expect(result.waitsFor).toBeUndefined();
  });
});

describe('failureText', () => {
  it('keeps the command, stderr and stdout of a failed step', () => {
    const text = failureText({
      step: 'plan',
      args: ['plan', '-out=x'],
      exitCode: 1,
      message: 'terraform plan exited with code 1',
      stdout: 'partial output',
      stdoutBytes: 14,
      stderr: 'Error: boom',
    });
    expect(text).toBe('terraform plan exited with code 1 (terraform plan -out=x)\n\nError: boom\n\npartial output');
  });

  it('says how many bytes a failed show printed, and shows none of them, even when given them', () => {
    const text = failureText({
      step: 'show',
      args: ['show', '-json', 'tfplan'],
      exitCode: null,
      signal: 'SIGKILL',
      message: 'terraform show was killed by SIGKILL',
      stdout: '{"variables":{"password":{"value":"PLANTED"}}}',
      stdoutBytes: 5120,
      stderr: '',
    });
    expect(text).toBe(
      'terraform show was killed by SIGKILL (terraform show -json tfplan)\n\n(stdout: 5120 bytes of plan data, not shown: it holds sensitive values in clear)',
    );
  });
});
