import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { TempRepo } from '@kitt/flag-config/src/__fixtures__/temp-repo';
import { runKittIn } from '../__fixtures__/run-kitt';

const ORG = 'state:\n  bucket: kitt-test-state\n  region: us-east-1\n';

function kitt(cwd: string, argv: string[]) {
  return runKittIn(argv, { cwd });
}

describe('kitt new', () => {
  let repo: TempRepo;
  let root: string;
  beforeEach(() => {
    repo = new TempRepo('kitt-new-').write({ 'flags/org.yaml': ORG });
    root = repo.root;
  });
  afterEach(() => repo.dispose());

  const FLAG = ['new', 'acme', 'prod', 'us-east-1', '--zones', 'us-east-1a'];

  it('requires --account-id: a usage error with exit 2, nothing written', async () => {
    const result = await kitt(root, FLAG);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--account-id is required');
    expect(existsSync(path.join(root, 'flags/acme'))).toBe(false);
  });

  it.each(['1e1', '0x2', ' 2', '2.0', '-1'])('takes only a plain decimal --cells, not %j', async (cells) => {
    const result = await kitt(root, [...FLAG, '--account-id', '111122223333', `--cells=${cells}`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--cells must be a positive whole number');
  });

  it('takes --cells 2', async () => {
    const result = await kitt(root, [...FLAG, '--account-id', '111122223333', '--cells', '2']);
    expect(result).toMatchObject({ code: 0, stdout: '✓ wrote flags/acme/prod/us-east-1/flag.yaml\n' });
  });
});
