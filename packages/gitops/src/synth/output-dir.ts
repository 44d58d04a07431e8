import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, rmdirSync } from 'node:fs';
import * as path from 'node:path';
import { InputError, type InputIssue } from '@kitt/flag-config';

/** The file that marks a directory as kitt's synthesis output (cdktf's manifest of the FLAG's App). */
export const OUTPUT_MARKER = 'manifest.json';

/** A staging directory older than this is left over from a run that died, whatever its process id says now. */
export const STALE_STAGING_MS = 30 * 60 * 1000;

const STAGING = /^\..+\.staging-(\d+)-[0-9a-f]{8}(\.old)?$/;

/**
 * Writes `<parent>/<name>` all at once: `write` fills a fresh staging
 * directory next to it (same file system, so the final rename is atomic), which
 * then replaces the old directory. If `write` throws, the staging directory is
 * removed, the old directory is left as it was, and `parent` is removed again
 * when this call created it: a failure leaves nothing behind.
 *
 * Only kitt's own output is ever replaced: an existing `<parent>/<name>` that
 * is not a directory holding OUTPUT_MARKER is refused (OUTPUT_NOT_KITT) before
 * anything is written. Staging directories that earlier runs left behind
 * (their process gone, or older than STALE_STAGING_MS) are removed first.
 */
export function replaceDirectoryWith<T>(parent: string, name: string, write: (stagingDir: string) => T): T {
  const staged = stageDirectory(parent, name);
  let result: T;
  try {
    result = write(staged.dir);
  } catch (error) {
    staged.discard();
    throw error;
  }
  staged.commit();
  return result;
}

/** A staging directory that replaces `<parent>/<name>` on `commit`, or is removed on `discard`. */
export interface StagedDirectory {
  /** The empty directory to write into. */
  readonly dir: string;
  /** Moves `dir` into place, replacing the old directory. */
  commit(): void;
  /** Removes `dir` (and `parent`, when staging created it and it is empty again). */
  discard(): void;
}

/**
 * `replaceDirectoryWith` in two steps, for a caller that writes several
 * directories (possibly in other threads) and moves them into place only
 * once every one of them was written. Same checks, same cleanup.
 */
export function stageDirectory(parent: string, name: string): StagedDirectory {
  const createdParent = !existsSync(parent);
  makeDirectory(parent);
  removeStaleStaging(parent);
  const target = path.join(parent, name);
  const notOurs = notKittOutput(target);
  if (notOurs) throw new InputError([notOurs]);
  // Not mkdtemp: its 0700 mode would become the output's; mkdir follows the umask like every other write.
  const dir = path.join(parent, `.${name}.staging-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir);
  return {
    dir,
    commit: () => swapInto(dir, target),
    discard: () => {
      rmSync(dir, { recursive: true, force: true });
      if (createdParent) removeIfEmpty(parent);
    },
  };
}

/**
 * Why kitt must not replace `target`, if it must not: it exists and is not a
 * real directory with OUTPUT_MARKER (someone else's files, or a link).
 */
export function notKittOutput(target: string): InputIssue | undefined {
  let stats;
  try {
    stats = lstatSync(target);
  } catch {
    return undefined; // nothing there: free
  }
  const marker = path.join(target, OUTPUT_MARKER);
  if (stats.isDirectory() && existsSync(marker) && lstatSync(marker).isFile()) return undefined;
  return {
    code: 'OUTPUT_NOT_KITT',
    file: target,
    path: '--out',
    message: `${target} exists and is not kitt's synthesis output (no ${OUTPUT_MARKER} in a directory): kitt replaces only what it wrote`,
    received: target,
    expected: 'an --out directory where this name is free or holds an earlier kitt synth output',
  };
}

/**
 * Problems of an output root for a repository at `root`: inside `flags/`
 * (people's input, never kitt's output), or inside the repository by its path
 * but outside it through a symbolic link. A root outside the repository by
 * its own path is the caller's choice (`kitt affected` synthesizes into a
 * temporary directory).
 */
export function outputRootIssues(root: string, outDir: string): InputIssue[] {
  const repo = path.resolve(root);
  const lexical = path.resolve(root, outDir);
  const real = realPathOf(lexical);
  const realRepo = realPathOf(repo);
  const refuse = (message: string, expected: string): InputIssue[] => [
    { code: 'OUTPUT_PATH_INVALID', file: '', path: '--out', message, received: outDir, expected },
  ];
  if (isInside(lexical, path.join(repo, 'flags')) || isInside(real, path.join(realRepo, 'flags'))) {
    return refuse(
      `${outDir} is inside flags/: FLAG files are people's input, kitt never writes there`,
      'a directory outside flags/, e.g. cdktf.out',
    );
  }
  if (isInside(lexical, repo) && !isInside(real, realRepo)) {
    return refuse(
      `${outDir} leads outside the repository through a symbolic link (to ${real})`,
      'a real directory inside the repository, or name the outside directory itself',
    );
  }
  return [];
}

/** Moves `staging` to `target`, replacing what was there; the old copy is deleted only once the new one is in place. */
function swapInto(staging: string, target: string): void {
  if (!existsSync(target)) {
    renameSync(staging, target);
    return;
  }
  const old = `${staging}.old`;
  renameSync(target, old);
  try {
    renameSync(staging, target);
  } catch (error) {
    renameSync(old, target);
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  rmSync(old, { recursive: true, force: true });
}

/** `mkdir -p`, with a coded error naming the directory when a step of it is a file (raw EEXIST/ENOTDIR otherwise). */
function makeDirectory(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new InputError([
      {
        code: 'OUTPUT_PATH_INVALID',
        file: dir,
        path: '--out',
        message: `cannot create the output directory ${dir} (${code}): a step of its path is a file, or may not be written`,
        received: dir,
        expected: 'an output directory kitt may create',
      },
    ]);
  }
}

/** Staging directories of runs that died (process gone) or are far too old to be running. */
function removeStaleStaging(parent: string, now = Date.now()): void {
  for (const entry of readdirSync(parent)) {
    const match = STAGING.exec(entry);
    if (!match) continue;
    const dir = path.join(parent, entry);
    try {
      const stats = lstatSync(dir);
      if (isRunning(Number(match[1])) && now - stats.mtimeMs < STALE_STAGING_MS) continue;
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // removed meanwhile by its own run or another cleaner
    }
  }
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it just is not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The real path of `target`, resolving the links of its longest existing ancestor. */
function realPathOf(target: string): string {
  const rest: string[] = [];
  let current = target;
  for (;;) {
    try {
      return path.join(realpathSync(current), ...rest.reverse());
    } catch {
      const up = path.dirname(current);
      if (up === current) return target;
      rest.push(path.basename(current));
      current = up;
    }
  }
}

function isInside(target: string, dir: string): boolean {
  return target === dir || target.startsWith(`${dir}${path.sep}`);
}

/** Another process may have started writing into it meanwhile: then it stays. */
function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // not empty, or already gone: either way not ours to remove
  }
}
