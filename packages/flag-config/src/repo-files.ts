import { existsSync, lstatSync, readdirSync, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { IssueCode, compareText, quoteCapped } from './errors';
import { FLAG_FILE_NAME, FLAGS_DIR } from './naming';
import type { InputIssue } from './types';

/** Repo-relative, `/`-separated form of a path given relative to `root` or absolute. */
export function toRepoPath(root: string, target: string): string {
  return path.relative(path.resolve(root), path.resolve(root, target)).split(path.sep).join('/');
}

/** Repo-relative path of the flag.yaml of a FLAG directory (or of the flag.yaml itself, when given). */
export function flagFileOf(root: string, dir: string): string {
  const relative = toRepoPath(root, dir);
  return path.posix.basename(relative) === FLAG_FILE_NAME ? relative : path.posix.join(relative, FLAG_FILE_NAME);
}

/** Every `flags/*\/*\/*\/flag.yaml` that is a regular file in real directories (no symlinks), repo-relative, sorted. */
export function listFlagFiles(root: string): string[] {
  const found: string[] = [];
  for (const customer of subdirectories(root, FLAGS_DIR)) {
    for (const environment of subdirectories(root, customer)) {
      for (const region of subdirectories(root, environment)) {
        const file = `${region}/${FLAG_FILE_NAME}`;
        if (isFile(path.join(root, file))) found.push(file);
      }
    }
  }
  return found.sort(compareText);
}

/** flag.yaml files under `flags/` at any other depth: a FLAG there would be silently ignored. */
export function listMisplacedFlagFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const child = `${dir}/${entry.name}`;
      if (entry.isDirectory() && depth < 8) walk(child, depth + 1);
      else if (entry.isFile() && entry.name === FLAG_FILE_NAME && depth !== 3) found.push(child);
    }
  };
  if (isRealDirectory(path.join(root, FLAGS_DIR))) walk(FLAGS_DIR, 0);
  return found.sort(compareText);
}

/**
 * What would make a FLAG vanish or lead outside the repository, anywhere under
 * `flags/`: a symbolic link (SYMLINK_REFUSED), a FLAG directory
 * `flags/<c>/<e>/<r>/` without a regular flag.yaml (FLAG_FILE_MISSING, or
 * FILE_NOT_REGULAR when flag.yaml is a directory), and near misses of the
 * name, such as `flag.yml` or `Flag.yaml` (FLAG_FILE_NAME_INVALID). Each would
 * otherwise be skipped: one FLAG fewer, and its stacks planned as destroyed.
 */
export function flagLayoutIssues(root: string): InputIssue[] {
  const issues: InputIssue[] = [];
  const walk = (dir: string, depth: number): void => {
    const entries = readdirSync(path.join(root, dir), { withFileTypes: true });
    for (const entry of entries) {
      const child = `${dir}/${entry.name}`;
      if (entry.isSymbolicLink()) issues.push(symlinkRefused(child));
      else if (isNearMiss(entry.name)) issues.push(nearMiss(child, entry.name));
      if (entry.isDirectory() && depth === 2) issues.push(...flagDirectoryIssues(root, child));
      if (entry.isDirectory() && depth < 8) walk(child, depth + 1);
    }
  };
  if (isRealDirectory(path.join(root, FLAGS_DIR))) walk(FLAGS_DIR, 0);
  else if (isSymlink(path.join(root, FLAGS_DIR))) issues.push(symlinkRefused(FLAGS_DIR));
  return issues.sort((a, b) => compareText(a.file, b.file));
}

/**
 * `flagLayoutIssues` for a listing of a commit's files under `flags/`
 * (repo-relative, e.g. from `git ls-tree -r --name-only`): FLAG directories
 * without a flag.yaml, and near-miss names. A listing has no file types, so
 * links are not seen here.
 */
export function flagLayoutIssuesOfPaths(files: readonly string[]): InputIssue[] {
  const present = new Set(files);
  const flagDirs = new Set<string>();
  const issues: InputIssue[] = [];
  for (const file of files) {
    const segments = file.split('/');
    if (segments[0] !== FLAGS_DIR) continue;
    const name = segments[segments.length - 1] ?? '';
    if (isNearMiss(name)) issues.push(nearMiss(file, name));
    if (segments.length >= 5) flagDirs.add(segments.slice(0, 4).join('/'));
  }
  for (const dir of flagDirs) {
    const file = `${dir}/${FLAG_FILE_NAME}`;
    if (present.has(file)) continue;
    const nearMisses = files.filter((other) => other.startsWith(`${dir}/`) && isNearMiss(other.slice(dir.length + 1)));
    issues.push(
      flagFileMissing(
        dir,
        nearMisses.map((other) => other.slice(dir.length + 1)),
      ),
    );
  }
  return issues.sort((a, b) => compareText(a.file, b.file));
}

/** A FLAG directory needs its flag.yaml as a regular file (a symlink is reported apart). */
function flagDirectoryIssues(root: string, dir: string): InputIssue[] {
  const entries = readdirSync(path.join(root, dir), { withFileTypes: true });
  const flagFile = entries.find((entry) => entry.name === FLAG_FILE_NAME);
  if (flagFile?.isFile() || flagFile?.isSymbolicLink()) return [];
  const file = `${dir}/${FLAG_FILE_NAME}`;
  if (flagFile) {
    return [
      {
        code: IssueCode.FILE_NOT_REGULAR,
        file,
        path: '',
        message:
          `${file} is ${flagFile.isDirectory() ? 'a directory' : 'not a regular file'}: ` +
          `the FLAG ${dir} would be skipped and its stacks destroyed`,
        expected: 'a regular file flag.yaml',
      },
    ];
  }
  // A near miss is reported on its own; this says what it means for the FLAG.
  const nearMisses = entries.filter((entry: Dirent) => isNearMiss(entry.name)).map((entry) => entry.name);
  return [flagFileMissing(dir, nearMisses)];
}

function flagFileMissing(dir: string, nearMisses: readonly string[]): InputIssue {
  const file = `${dir}/${FLAG_FILE_NAME}`;
  return {
    code: IssueCode.FLAG_FILE_MISSING,
    file,
    path: '',
    message:
      `the FLAG directory ${dir} has no flag.yaml${nearMisses.length > 0 ? ` (it has ${nearMisses.join(', ')})` : ''}: ` +
      'the FLAG would be skipped and its stacks destroyed',
    expected: `a flag.yaml in ${dir}, or remove the directory to remove the FLAG on purpose`,
  };
}

/** `flag.yml`, `Flag.yaml`, `flags.yaml`, ` flag.yaml`: names a person meant as flag.yaml. */
export function isNearMiss(name: string): boolean {
  return name !== FLAG_FILE_NAME && /^flags?\.y[a-z]*ml$/i.test(name.trim());
}

function nearMiss(file: string, name: string): InputIssue {
  return {
    code: IssueCode.FLAG_FILE_NAME_INVALID,
    file,
    path: '',
    message: `${quoteCapped(name)} is not read: a FLAG's file is named exactly flag.yaml`,
    received: name,
    expected: `rename it to ${path.posix.join(path.posix.dirname(file), FLAG_FILE_NAME)}`,
  };
}

export function symlinkRefused(file: string): InputIssue {
  return {
    code: IssueCode.SYMLINK_REFUSED,
    file,
    path: '',
    message: `${file} is a symbolic link: kitt refuses links under flags/ (one could lead outside the repository)`,
    expected: 'a real file or directory in its place',
  };
}

function subdirectories(root: string, dir: string): string[] {
  const absolute = path.join(root, dir);
  if (!isRealDirectory(absolute)) return [];
  return readdirSync(absolute, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `${dir}/${entry.name}`)
    .sort(compareText);
}

function isFile(file: string): boolean {
  return existsSync(file) && lstatSync(file).isFile();
}

function isRealDirectory(dir: string): boolean {
  return existsSync(dir) && lstatSync(dir).isDirectory();
}

function isSymlink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}
