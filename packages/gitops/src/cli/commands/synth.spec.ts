import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { makeTempRepo } from '../../synth/__fixtures__/temp-repo';
import { runKittIn } from '../__fixtures__/run-kitt';

function synth(cwd: string, positionals: string[], out?: string) {
  return runKittIn(['synth', ...positionals, ...(out === undefined ? [] : ['--out', out])], { cwd });
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
      expect(stdout).toMatch(
        /^ {2}payments-prod-us-east-1-addons-a1 \(addons, after payments-prod-us-east-1-cell-a1\): \d+ resources, sha256 [0-9a-f]{12}$/m,
      );
      expect(stdout).toMatch(/^ {4}helm_release 7, kubernetes_manifest \d+$/m);
      expect(stdout).toContain('✓ 1 FLAG(s), 5 stack(s) synthesized into cdktf.out\n');
      expect(existsSync(path.join(repo.root, 'cdktf.out/payments-prod-us-east-1/manifest.json'))).toBe(true);
    } finally {
      repo.dispose();
    }
  });

  it('writes the state store of org.yaml state.endpoint into every backend and remote-state lookup', async () => {
    const repo = makeTempRepo({ 'flags/payments/prod/us-east-1': 'payments-prod-us-east-1.flag.yaml' });
    try {
      const org = readFileSync(path.join(repo.root, 'flags/org.yaml'), 'utf8');
      writeFileSync(
        path.join(repo.root, 'flags/org.yaml'),
        org.replace(
          '  region: us-east-1\n',
          '  region: us-east-1\n  endpoint: https://minio.example.com\n  usePathStyle: true\n',
        ),
      );
      expect((await synth(repo.root, [])).code).toBe(0);
      const store = {
        endpoints: { s3: 'https://minio.example.com' },
        use_path_style: true,
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
      };
      const stacks = path.join(repo.root, 'cdktf.out/payments-prod-us-east-1/stacks');
      const config = (stack: string) =>
        JSON.parse(readFileSync(path.join(stacks, `payments-prod-us-east-1-${stack}`, 'cdk.tf.json'), 'utf8'));
      for (const stack of ['flag', 'cell-a1', 'cell-b1']) {
        expect(config(stack).terraform.backend.s3).toMatchObject({ bucket: 'kitt-test-state', ...store });
      }
      for (const stack of ['cell-a1', 'cell-b1']) {
        const lookups = Object.values(config(stack).data.terraform_remote_state) as { config: unknown }[];
        expect(lookups.map((lookup) => lookup.config)).toEqual([expect.objectContaining(store)]);
      }
    } finally {
      repo.dispose();
    }
  });

  it('refuses an http endpoint of org.yaml state off loopback, naming the field, and writes nothing', async () => {
    const repo = makeTempRepo({ 'flags/payments/prod/us-east-1': 'payments-prod-us-east-1.flag.yaml' });
    try {
      const org = readFileSync(path.join(repo.root, 'flags/org.yaml'), 'utf8');
      writeFileSync(
        path.join(repo.root, 'flags/org.yaml'),
        org.replace('  region: us-east-1\n', '  region: us-east-1\n  endpoint: http://minio.example.com\n'),
      );
      const { code, stderr } = await synth(repo.root, []);
      expect(code).toBe(1);
      expect(stderr).toMatch(/flags\/org\.yaml:5 state\.endpoint: .*\[STATE_ENDPOINT_INVALID\]/);
      expect(existsSync(path.join(repo.root, 'cdktf.out'))).toBe(false);
    } finally {
      repo.dispose();
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
      repo.dispose();
    }
  });

  it('refuses --out flags: nothing is written into flags/', async () => {
    const repo = makeTempRepo({ 'flags/payments/prod/us-east-1': 'payments-prod-us-east-1.flag.yaml' });
    try {
      const { code, stderr } = await synth(repo.root, [], 'flags');
      expect(code).toBe(1);
      expect(stderr).toContain('[OUTPUT_PATH_INVALID]');
      expect(readdirSync(path.join(repo.root, 'flags')).sort()).toEqual(['org.yaml', 'payments']);
    } finally {
      repo.dispose();
    }
  });

  it('refuses an --out in the repository that a symbolic link leads outside it', async () => {
    const repo = makeTempRepo({ 'flags/payments/prod/us-east-1': 'payments-prod-us-east-1.flag.yaml' });
    try {
      symlinkSync(tmpdir(), path.join(repo.root, 'escape'));
      const { code, stderr } = await synth(repo.root, [], 'escape/kitt-out');
      expect(code).toBe(1);
      expect(stderr).toContain('leads outside the repository through a symbolic link');
    } finally {
      repo.dispose();
    }
  });

  it('refuses to replace a FLAG-named directory it did not write, and writes no FLAG at all', async () => {
    const repo = makeTempRepo({
      'flags/payments/prod/us-east-1': 'payments-prod-us-east-1.flag.yaml',
      'flags/search/dev/eu-west-1': 'search-dev-eu-west-1.flag.yaml',
    });
    try {
      mkdirSync(path.join(repo.root, 'out/search-dev-eu-west-1'), { recursive: true });
      writeFileSync(path.join(repo.root, 'out/search-dev-eu-west-1/notes.txt'), 'mine');
      const { code, stderr } = await synth(repo.root, [], 'out');
      expect(code).toBe(1);
      expect(stderr).toContain('[OUTPUT_NOT_KITT]');
      expect(readdirSync(path.join(repo.root, 'out'))).toEqual(['search-dev-eu-west-1']);
      expect(readdirSync(path.join(repo.root, 'out/search-dev-eu-west-1'))).toEqual(['notes.txt']);
    } finally {
      repo.dispose();
    }
  });

  it('refuses a FLAG reached through a symlinked customer directory when it is named', async () => {
    const outside = makeTempRepo({ 'flags/search/dev/eu-west-1': 'search-dev-eu-west-1.flag.yaml' });
    const repo = makeTempRepo({});
    try {
      symlinkSync(path.join(outside.root, 'flags/search'), path.join(repo.root, 'flags/search'));
      const { code, stderr } = await synth(repo.root, ['flags/search/dev/eu-west-1']);
      expect(code).toBe(1);
      expect(stderr).toContain('flags/search is a symbolic link');
      expect(existsSync(path.join(repo.root, 'cdktf.out'))).toBe(false);
    } finally {
      repo.dispose();
      outside.dispose();
    }
  });

  it('refuses to synthesize everything when a FLAG directory lost its flag.yaml, instead of skipping that FLAG', async () => {
    const repo = makeTempRepo({
      'flags/payments/prod/us-east-1': 'payments-prod-us-east-1.flag.yaml',
      'flags/search/dev/eu-west-1': 'search-dev-eu-west-1.flag.yaml',
    });
    try {
      const dir = path.join(repo.root, 'flags/search/dev/eu-west-1');
      renameSync(path.join(dir, 'flag.yaml'), path.join(dir, 'flag.yml'));
      const { code, stderr } = await synth(repo.root, []);
      expect(code).toBe(1);
      expect(stderr).toContain('[FLAG_FILE_NAME_INVALID]');
      expect(existsSync(path.join(repo.root, 'cdktf.out'))).toBe(false);
    } finally {
      repo.dispose();
    }
  });
});
