import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadFlag, loadOrg } from './load';
import { MAX_INPUT_FILE_BYTES, readInputFile } from './read-input';
import { InputError } from './errors';
import type { InputIssue } from './types';
import { MINIMAL_ORG, VALID_FLAG, VALID_FLAG_FILE } from './__fixtures__/flag-text';
import { TempRepo } from './__fixtures__/temp-repo';

const notFound = (file: string): InputIssue => ({ code: 'FLAG_NOT_FOUND', file, path: '', message: 'none' });

function refusal(run: () => unknown): readonly InputIssue[] {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error.issues;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('readInputFile', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
  });
  afterEach(() => repo.dispose());

  it('reads a regular UTF-8 file', () => {
    repo.write({ [VALID_FLAG_FILE]: VALID_FLAG });
    expect(readInputFile(repo.root, VALID_FLAG_FILE, notFound)).toEqual({ text: VALID_FLAG });
  });

  it('refuses a file over the cap with FILE_TOO_LARGE, naming the file and its size', () => {
    repo.write({ [VALID_FLAG_FILE]: `${VALID_FLAG}#${'x'.repeat(MAX_INPUT_FILE_BYTES)}\n` });
    const size = VALID_FLAG.length + MAX_INPUT_FILE_BYTES + 2;
    expect(refusal(() => loadFlag(repo.root, 'flags/payments/prod/us-east-1'))).toEqual([
      expect.objectContaining({
        code: 'FILE_TOO_LARGE',
        file: VALID_FLAG_FILE,
        message: expect.stringContaining(`${size} bytes`),
      }),
    ]);
  });

  it('refuses an org.yaml over the cap', () => {
    repo.write({ 'flags/org.yaml': `${MINIMAL_ORG}#${'x'.repeat(MAX_INPUT_FILE_BYTES)}\n` });
    expect(refusal(() => loadOrg(repo.root))).toEqual([
      expect.objectContaining({ code: 'FILE_TOO_LARGE', file: 'flags/org.yaml' }),
    ]);
  });

  it('refuses a UTF-16 flag.yaml with FILE_ENCODING instead of dumping it', () => {
    const file = path.join(repo.root, VALID_FLAG_FILE);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(VALID_FLAG, 'utf16le')]));
    const issues = refusal(() => loadFlag(repo.root, VALID_FLAG_FILE));
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'FILE_ENCODING',
        file: VALID_FLAG_FILE,
        expected: expect.stringContaining('UTF-8'),
      }),
    ]);
    expect(JSON.stringify(issues)).not.toContain('topology');
  });

  it('refuses NUL bytes (UTF-16 without a byte order mark)', () => {
    const file = path.join(repo.root, VALID_FLAG_FILE);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, Buffer.from(VALID_FLAG, 'utf16le'));
    expect(refusal(() => loadFlag(repo.root, VALID_FLAG_FILE)).map((issue) => issue.code)).toEqual(['FILE_ENCODING']);
  });

  it('names the file when flag.yaml is a directory (no raw EISDIR)', () => {
    mkdirSync(path.join(repo.root, VALID_FLAG_FILE), { recursive: true });
    expect(refusal(() => loadFlag(repo.root, VALID_FLAG_FILE))).toEqual([
      expect.objectContaining({
        code: 'FILE_NOT_REGULAR',
        file: VALID_FLAG_FILE,
        message: expect.stringContaining('is a directory'),
      }),
    ]);
  });

  it('refuses a named FLAG reached through a symlinked environment directory', () => {
    const outside = new TempRepo().write({ 'us-east-1/flag.yaml': VALID_FLAG });
    try {
      mkdirSync(path.join(repo.root, 'flags/payments'), { recursive: true });
      symlinkSync(outside.root, path.join(repo.root, 'flags/payments/prod'));
      expect(refusal(() => loadFlag(repo.root, 'flags/payments/prod/us-east-1'))).toEqual([
        expect.objectContaining({
          code: 'SYMLINK_REFUSED',
          file: VALID_FLAG_FILE,
          message: expect.stringContaining('flags/payments/prod is a symbolic link'),
        }),
      ]);
    } finally {
      outside.dispose();
    }
  });

  it('refuses a symlinked org.yaml', () => {
    const outside = new TempRepo().write({ 'org.yaml': MINIMAL_ORG });
    try {
      mkdirSync(path.join(repo.root, 'flags'));
      symlinkSync(path.join(outside.root, 'org.yaml'), path.join(repo.root, 'flags/org.yaml'));
      expect(refusal(() => loadOrg(repo.root)).map((issue) => issue.code)).toEqual(['SYMLINK_REFUSED']);
    } finally {
      outside.dispose();
    }
  });
});
