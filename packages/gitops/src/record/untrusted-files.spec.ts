import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '@kitt/flag-config';
import { checkUntrustedFiles } from './untrusted-files';

describe('checkUntrustedFiles', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kitt-untrusted-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, bytes: number) => {
    writeFileSync(join(dir, name), 'x'.repeat(bytes));
    return { file: join(dir, name), shown: name };
  };

  it('passes files within both caps', async () => {
    await expect(
      checkUntrustedFiles([file('a', 10), file('b', 10)], { maxFileBytes: 10, maxTotalBytes: 20 }),
    ).resolves.toBeUndefined();
  });

  it('refuses files that are each within the cap but too large together', async () => {
    const error = await checkUntrustedFiles([file('a', 10), file('b', 11)], {
      maxFileBytes: 20,
      maxTotalBytes: 20,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues).toEqual([
      expect.objectContaining({
        code: 'ARTIFACTS_TOO_LARGE',
        file: 'a, b',
        message: expect.stringContaining('21 bytes'),
      }),
    ]);
  });

  it('refuses a directory and names a missing file', async () => {
    const error = await checkUntrustedFiles([
      { file: dir, shown: 'dir' },
      { file: join(dir, 'missing'), shown: 'missing' },
    ]).catch((e: unknown) => e);
    expect((error as InputError).issues.map((i) => i.code)).toEqual(['ARTIFACT_NOT_A_FILE', 'PLAN_FILE_UNREADABLE']);
  });
});
