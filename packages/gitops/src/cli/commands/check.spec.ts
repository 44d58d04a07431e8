import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { TempRepo } from '@kitt/flag-config/src/__fixtures__/temp-repo';
import { runKittIn } from '../__fixtures__/run-kitt';

const ORG =
  'state:\n  bucket: kitt-test-state\n  region: us-east-1\ndomain: kitt.example.com\namis:\n  us-east-1: ami-0123456789abcdef0\n';

function kitt(cwd: string, argv: string[]) {
  return runKittIn(argv, { cwd });
}

describe('kitt check --base', () => {
  let repo: TempRepo;
  let root: string;
  const git = (...args: string[]) => repo.git(...args);
  beforeEach(async () => {
    repo = new TempRepo('kitt-check-').write({ 'flags/org.yaml': ORG });
    root = repo.root;
    for (const environment of ['prod', 'dev']) {
      const argv = ['new', 'acme', environment, 'us-east-1', '--zones', 'us-east-1a', '--account-id', '111122223333'];
      expect((await kitt(root, argv)).code).toBe(0);
    }
    repo.gitInit();
    git('commit', '--quiet', '--allow-empty', '-m', 'x');
    repo.commit('base');
  });
  afterEach(() => repo.dispose());

  it('says loudly which FLAG was removed and that its stacks will be destroyed', async () => {
    rmSync(path.join(root, 'flags/acme/dev'), { recursive: true });
    const result = await kitt(root, ['check', '--base', 'main']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      '⚠ FLAG acme-dev-us-east-1 removed since main: flags/acme/dev/us-east-1/flag.yaml is gone, so every stack of acme-dev-us-east-1 (flag, cells, addons) will be planned for DESTROY',
    );
  });

  it('fails on a renamed flag.yaml instead of counting the FLAG as removed', async () => {
    const dir = path.join(root, 'flags/acme/dev/us-east-1');
    git('mv', path.join(dir, 'flag.yaml'), path.join(dir, 'flag.yml'));
    const result = await kitt(root, ['check', '--base', 'main']);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain('removed');
    expect(result.stderr).toContain('flags/acme/dev/us-east-1/flag.yml: "flag.yml" is not read');
    expect(result.stderr).toContain('[FLAG_FILE_MISSING]');
  });
});
