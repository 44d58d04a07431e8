import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { CommandContext } from '../command';
import { makeTempRepo } from '../../synth/__fixtures__/temp-repo';
import { synthCommand } from './synth';

/** Runs `kitt synth` in-process on `cwd` and captures what it prints. */
async function synth(cwd: string, positionals: string[], out = 'cdktf.out') {
  let stdout = '';
  let stderr = '';
  const ctx: CommandContext = { cwd, env: {}, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) };
  const code = await synthCommand.run({ values: { out }, positionals }, ctx);
  return { code, stdout, stderr };
}

describe('kitt synth', () => {
  it('prints a ✓ line per FLAG with its stacks and their resources by type, and exits 0', async () => {
    const repo = makeTempRepo({ 'flags/payments/prod/us-east-1': 'payments-prod-us-east-1.flag.yaml' });
    try {
      const { code, stdout, stderr } = await synth(repo.root, ['flags/payments/prod/us-east-1']);
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(stdout).toContain('✓ flags/payments/prod/us-east-1 → cdktf.out/payments-prod-us-east-1\n');
      expect(stdout).toMatch(/^ {2}payments-prod-us-east-1-flag \(flag\): \d+ resources, sha256 [0-9a-f]{12}$/m);
      expect(stdout).toMatch(/^ {4}.*aws_subnet 16,/m);
      expect(stdout).toMatch(
        /^ {2}payments-prod-us-east-1-cell-a1 \(cell, after payments-prod-us-east-1-flag\): \d+ resources, sha256 [0-9a-f]{12}$/m,
      );
      expect(stdout).toContain('✓ 1 FLAG(s), 3 stack(s) synthesized into cdktf.out\n');
      expect(existsSync(path.join(repo.root, 'cdktf.out/payments-prod-us-east-1/manifest.json'))).toBe(true);
    } finally {
      repo.remove();
    }
  });

  it('prints a ✗ line and the issues of a bad FLAG, writes nothing and exits 1', async () => {
    const repo = makeTempRepo({
      'flags/payments/prod/us-east-1': 'payments-prod-us-east-1.flag.yaml',
      'flags/broken/dev/us-east-1': 'bad-vpc.flag.yaml',
    });
    try {
      const { code, stdout, stderr } = await synth(repo.root, []);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(
        /^✗ flags\/broken\/dev\/us-east-1\n {2}flags\/broken\/dev\/us-east-1\/flag\.yaml:\d+ network\.vpcCidr: .*\[VPC_NOT_SLASH16\]$/m,
      );
      expect(stderr).toContain('nothing written');
      expect(existsSync(path.join(repo.root, 'cdktf.out'))).toBe(false);
    } finally {
      repo.remove();
    }
  });
});
