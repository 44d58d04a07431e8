import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runKittIn } from '../__fixtures__/run-kitt';

const ORG = 'state:\n  bucket: kitt-test-state\n  region: us-east-1\n';

function kitt(cwd: string, argv: string[]) {
  return runKittIn(argv, { cwd });
}

describe('kitt new', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'kitt-new-'));
    mkdirSync(path.join(root, 'flags'));
    writeFileSync(path.join(root, 'flags/org.yaml'), ORG);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

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
