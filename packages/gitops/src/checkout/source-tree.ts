import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { FLAG_FILE_NAME, FLAGS_DIR, flagDir, parseFlagFile } from '@kitt/flag-config';
import type { Git } from './git';

/** One side of the comparison on disk: the directory to run its own code in. */
export interface SourceTree {
  readonly dir: string;
  /** Removes what was created for it (nothing for the working tree). */
  dispose(): Promise<void>;
}

/** The working tree as it is. */
export function workingTree(dir: string): SourceTree {
  return { dir, dispose: async () => undefined };
}

/**
 * A detached `git worktree` of `commit` in a temporary directory, with the
 * dependencies of `installedRoot` (which has run `npm ci`) linked in, so that
 * the commit's own code runs with the installed packages.
 */
export async function checkoutTree(
  git: Git,
  commit: string,
  installedRoot: string,
  tmpRoot = tmpdir(),
): Promise<SourceTree> {
  const parent = mkdtempSync(join(tmpRoot, 'kitt-affected-'));
  const dir = join(parent, commit.slice(0, 12));
  try {
    await git.addWorktree(dir, commit);
    linkNodeModules(installedRoot, dir);
  } catch (error) {
    await git.removeWorktree(dir).catch(() => undefined);
    rmSync(parent, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    dispose: async () => {
      await git.removeWorktree(dir).catch(() => undefined);
      rmSync(parent, { recursive: true, force: true });
    },
  };
}

/**
 * Gives `to` the dependencies installed in `from`: each entry of
 * `from/node_modules` is linked, except the workspace's own packages (npm
 * links them to `from/packages/...`), which are linked to `to`'s copies so that
 * `to` runs its own code. Nested `packages/<name>/node_modules` are linked too.
 */
export function linkNodeModules(from: string, to: string): void {
  const fromModules = join(from, 'node_modules');
  if (!existsSync(fromModules)) return;
  const realFrom = realpathSync(from);
  linkEntries(fromModules, join(to, 'node_modules'), realFrom, to);
  const packages = join(from, 'packages');
  if (!existsSync(packages)) return;
  for (const name of readdirSync(packages)) {
    const nested = join(packages, name, 'node_modules');
    const target = join(to, 'packages', name);
    if (existsSync(nested) && existsSync(target) && !existsSync(join(target, 'node_modules'))) {
      symlinkSync(nested, join(target, 'node_modules'), 'dir');
    }
  }
}

function linkEntries(fromDir: string, toDir: string, realFrom: string, to: string): void {
  mkdirSync(toDir, { recursive: true });
  for (const entry of readdirSync(fromDir)) {
    const source = join(fromDir, entry);
    const destination = join(toDir, entry);
    if (entry.startsWith('@') && lstatSync(source).isDirectory()) {
      linkEntries(source, destination, realFrom, to);
      continue;
    }
    const workspacePath = workspaceRelativePath(source, realFrom);
    if (workspacePath === undefined) symlinkSync(source, destination, 'dir');
    else if (existsSync(join(to, workspacePath))) symlinkSync(join(to, workspacePath), destination, 'dir');
  }
}

/** For a link into the workspace itself (outside node_modules), its path relative to the workspace root. */
function workspaceRelativePath(source: string, realFrom: string): string | undefined {
  if (!lstatSync(source).isSymbolicLink()) return undefined;
  let target: string;
  try {
    target = realpathSync(source);
  } catch {
    return undefined;
  }
  const rel = relative(realFrom, target);
  if (rel.startsWith('..') || rel.startsWith(sep) || rel.split(sep)[0] === 'node_modules') return undefined;
  return rel;
}

/** FLAG directories of a commit (`flags/<c>/<e>/<r>` holding a `flag.yaml`). */
export async function flagDirsAtCommit(git: Git, commit: string): Promise<string[]> {
  const files = await git.listFiles(commit, FLAGS_DIR);
  return files
    .map(parseFlagFile)
    .flatMap((flag) => (flag ? [flagDir(flag)] : []))
    .sort();
}

/** FLAG directories of the working tree. */
export function flagDirsInWorkingTree(root: string): string[] {
  const found: string[] = [];
  const walk = (rel: string, depth: number): void => {
    const abs = join(root, rel);
    if (depth === 3) {
      if (existsSync(join(abs, FLAG_FILE_NAME))) found.push(rel);
      return;
    }
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(`${rel}/${entry.name}`, depth + 1);
    }
  };
  if (existsSync(join(root, FLAGS_DIR))) walk(FLAGS_DIR, 0);
  return found.sort();
}
