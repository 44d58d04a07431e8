import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { replaceDirectoryWith } from './output-dir';

describe('replaceDirectoryWith', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'kitt-output-dir-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('replaces the whole directory: files of the previous output that were not written again are gone', () => {
    const target = path.join(scratch, 'out', 'flag');
    mkdirSync(target, { recursive: true });
    writeFileSync(path.join(target, 'stale.json'), 'old');
    const result = replaceDirectoryWith(path.join(scratch, 'out'), 'flag', (staging) => {
      writeFileSync(path.join(staging, 'manifest.json'), 'new');
      return 42;
    });
    expect(result).toBe(42);
    expect(readdirSync(path.join(scratch, 'out'))).toEqual(['flag']);
    expect(readdirSync(target)).toEqual(['manifest.json']);
  });

  it('leaves the previous output untouched and removes its staging directory when writing fails', () => {
    const out = path.join(scratch, 'out');
    mkdirSync(path.join(out, 'flag'), { recursive: true });
    writeFileSync(path.join(out, 'flag', 'manifest.json'), 'old');
    expect(() =>
      replaceDirectoryWith(out, 'flag', (staging) => {
        writeFileSync(path.join(staging, 'manifest.json'), 'half');
        throw new Error('synth failed');
      }),
    ).toThrow('synth failed');
    expect(readdirSync(out)).toEqual(['flag']);
    expect(readFileSync(path.join(out, 'flag', 'manifest.json'), 'utf8')).toBe('old');
  });

  it('removes the output root again when it created it and writing fails', () => {
    const out = path.join(scratch, 'cdktf.out');
    expect(() =>
      replaceDirectoryWith(out, 'flag', () => {
        throw new Error('synth failed');
      }),
    ).toThrow('synth failed');
    expect(existsSync(out)).toBe(false);
  });
});
