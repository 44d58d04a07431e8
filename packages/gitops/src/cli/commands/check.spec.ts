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

describe('kitt check and the addons layer', () => {
  let repo: TempRepo;
  const flagFile = 'flags/acme/prod/us-east-1/flag.yaml';
  const flagWith = (extra: string) =>
    [
      'customer: acme',
      'environment: prod',
      'region: us-east-1',
      'aws:',
      '  accountId: "111122223333"',
      'network:',
      '  vpcCidr: 10.20.0.0/16',
      '  zones: [us-east-1a]',
      'topology: single-az',
      'cells:',
      '  - name: a1',
      '    zone: us-east-1a',
      '    slot: 1',
      '    kubernetesVersion: 1.31.4',
      extra,
    ].join('\n');
  beforeEach(() => {
    repo = new TempRepo('kitt-check-addons-').write({ 'flags/org.yaml': ORG });
  });
  afterEach(() => repo.dispose());

  it("fails as synthesis would on a cell's Kubernetes minor with no pinned image, naming the file and field", async () => {
    repo.write({ [flagFile]: flagWith('') });
    const result = await kitt(repo.root, ['check']);
    expect(result.code).toBe(1);
    for (const addon of ['cloudControllerManager', 'clusterAutoscaler']) {
      expect(result.stderr).toContain(
        `${flagFile}:14 cells[0].kubernetesVersion: The addons layer pins no ${addon} image for Kubernetes 1.31 (cell a1).`,
      );
    }
    expect(result.stderr).toContain('[KUBERNETES_MINOR_UNPINNED]');
    expect(result.stderr).toContain('1.31.4');
  });

  it('passes when flag.yaml pins the images of that minor, or the addons that need them are off', async () => {
    const pinned =
      'addons:\n  cloudControllerManager: { imageTag: v1.31.9 }\n  clusterAutoscaler: { enabled: false }\n';
    repo.write({ [flagFile]: flagWith(pinned) });
    const result = await kitt(repo.root, ['check']);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`✓ ${flagFile}`);
  });
});
