import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { InputError } from '@kitt/flag-config';
import { outputRootIssues, replaceDirectoryWith } from './output-dir';

function issueCodes(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error.issues.map((issue) => issue.code);
    throw error;
  }
  throw new Error('expected an InputError');
}

/** A process id that is certainly not running: a child that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('replaceDirectoryWith', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'kitt-output-dir-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('replaces the whole directory: files of the previous output that were not written again are gone', () => {
    const target = path.join(scratch, 'out', 'flag');
    mkdirSync(target, { recursive: true });
    writeFileSync(path.join(target, 'manifest.json'), 'old');
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

  it('refuses to replace a directory kitt did not write (no manifest.json), leaving it as it was', () => {
    const target = path.join(scratch, 'out', 'flag');
    mkdirSync(target, { recursive: true });
    writeFileSync(path.join(target, 'thesis.tex'), 'years of work');
    expect(issueCodes(() => replaceDirectoryWith(path.join(scratch, 'out'), 'flag', () => 1))).toEqual([
      'OUTPUT_NOT_KITT',
    ]);
    expect(readdirSync(path.join(scratch, 'out'))).toEqual(['flag']);
    expect(readFileSync(path.join(target, 'thesis.tex'), 'utf8')).toBe('years of work');
  });

  it('refuses to replace a file or a symbolic link in the output place', () => {
    const out = path.join(scratch, 'out');
    mkdirSync(out);
    writeFileSync(path.join(out, 'flag'), 'a file');
    expect(issueCodes(() => replaceDirectoryWith(out, 'flag', () => 1))).toEqual(['OUTPUT_NOT_KITT']);
    symlinkSync(scratch, path.join(out, 'link'));
    expect(issueCodes(() => replaceDirectoryWith(out, 'link', () => 1))).toEqual(['OUTPUT_NOT_KITT']);
  });

  it('names the output directory when a step of it is a file, instead of a raw EEXIST', () => {
    writeFileSync(path.join(scratch, 'out'), 'a file');
    expect(() => replaceDirectoryWith(path.join(scratch, 'out', 'deeper'), 'flag', () => 1)).toThrow(
      /cannot create the output directory .*out\/deeper \((EEXIST|ENOTDIR)\).*\[OUTPUT_PATH_INVALID\]/,
    );
  });

  it('removes staging directories of runs whose process is gone', () => {
    const out = path.join(scratch, 'out');
    const stale = path.join(out, `.flag.staging-${deadPid()}-0123abcd`);
    mkdirSync(stale, { recursive: true });
    mkdirSync(`${stale}.old`);
    replaceDirectoryWith(out, 'flag', (staging) => writeFileSync(path.join(staging, 'manifest.json'), '{}'));
    expect(readdirSync(out)).toEqual(['flag']);
  });

  it('removes staging directories older than half an hour even when their process id is in use', () => {
    const out = path.join(scratch, 'out');
    const old = path.join(out, `.other.staging-${process.ppid}-0123abcd`);
    mkdirSync(old, { recursive: true });
    const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
    utimesSync(old, hourAgo, hourAgo);
    replaceDirectoryWith(out, 'flag', (staging) => writeFileSync(path.join(staging, 'manifest.json'), '{}'));
    expect(readdirSync(out)).toEqual(['flag']);
  });

  it('leaves a fresh staging directory of a running process alone', () => {
    const out = path.join(scratch, 'out');
    const running = path.join(out, `.other.staging-${process.ppid}-0123abcd`);
    mkdirSync(running, { recursive: true });
    replaceDirectoryWith(out, 'flag', (staging) => writeFileSync(path.join(staging, 'manifest.json'), '{}'));
    expect(readdirSync(out).sort()).toEqual(['.other.staging-' + process.ppid + '-0123abcd', 'flag']);
  });
});

describe('outputRootIssues', () => {
  let repo: string;
  let outside: string;
  beforeEach(() => {
    repo = mkdtempSync(path.join(tmpdir(), 'kitt-output-repo-'));
    outside = mkdtempSync(path.join(tmpdir(), 'kitt-output-outside-'));
    mkdirSync(path.join(repo, 'flags'));
  });
  afterEach(() => {
    rmSync(repo, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('accepts cdktf.out in the repository and a directory named outside it', () => {
    expect(outputRootIssues(repo, 'cdktf.out')).toEqual([]);
    expect(outputRootIssues(repo, outside)).toEqual([]);
  });

  it.each(['flags', 'flags/out', './flags/../flags/x'])('refuses --out %s inside flags/', (out) => {
    expect(outputRootIssues(repo, out)).toEqual([
      expect.objectContaining({ code: 'OUTPUT_PATH_INVALID', path: '--out', received: out }),
    ]);
  });

  it('refuses a path inside the repository that leads outside it through a symbolic link', () => {
    symlinkSync(outside, path.join(repo, 'out'));
    expect(outputRootIssues(repo, 'out/cdktf')).toEqual([
      expect.objectContaining({ code: 'OUTPUT_PATH_INVALID', message: expect.stringContaining('symbolic link') }),
    ]);
  });

  it('refuses a path that reaches flags/ through a symbolic link', () => {
    symlinkSync(path.join(repo, 'flags'), path.join(repo, 'innocent'));
    expect(outputRootIssues(repo, 'innocent').map((issue) => issue.code)).toEqual(['OUTPUT_PATH_INVALID']);
  });
});
