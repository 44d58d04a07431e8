import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { KittError } from '@kitt/flag-config';

const run = promisify(execFile);

/** The git commands change detection needs, run in one repository. */
export class Git {
  constructor(
    /** Any directory inside the repository. */
    readonly cwd: string,
  ) {}

  async exec(args: readonly string[]): Promise<string> {
    try {
      const { stdout } = await run('git', [...args], { cwd: this.cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
      return stdout;
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? (error as Error).message).trim();
      throw new KittError({
        code: 'AFFECTED_GIT_FAILED',
        kind: 'external',
        message: `git ${args.join(' ')} failed: ${stderr}`,
      });
    }
  }

  /** The full SHA of a commit-ish; a stable error when git does not know it. */
  async resolveCommit(ref: string): Promise<string> {
    try {
      return (await this.exec(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])).trim();
    } catch {
      throw new KittError({
        code: 'AFFECTED_GIT_REF_INVALID',
        kind: 'input',
        message: `git does not know the commit '${ref}' in ${this.cwd} (fetch it, e.g. actions/checkout with fetch-depth: 0)`,
      });
    }
  }

  /** Files that differ between two commits, or between a commit and the working tree (with untracked files) when `head` is null. */
  async changedFiles(base: string, head: string | null): Promise<string[]> {
    const range = head === null ? [base] : [base, head];
    const diffed = splitLines(await this.exec(['diff', '--name-only', '--no-renames', '-z', ...range, '--']));
    const untracked =
      head === null
        ? splitLines(await this.exec(['ls-files', '--others', '--exclude-standard', '--full-name', '-z']))
        : [];
    return [...new Set([...diffed, ...untracked])].sort();
  }

  /** Paths of a commit under `dir` (recursive). */
  async listFiles(commit: string, dir: string): Promise<string[]> {
    return splitLines(await this.exec(['ls-tree', '-r', '--name-only', '-z', commit, '--', dir]));
  }

  /** A file's text at a commit, or undefined when the commit has no such file. */
  async readFile(commit: string, path: string): Promise<string | undefined> {
    const listed = await this.exec(['ls-tree', '--name-only', '-z', commit, '--', path]);
    if (!splitLines(listed).includes(path)) return undefined;
    return this.exec(['show', `${commit}:${path}`]);
  }

  /** True when tracked files differ from HEAD (untracked files do not count). */
  async hasTrackedChanges(): Promise<boolean> {
    return (await this.exec(['status', '--porcelain', '--untracked-files=no'])).trim() !== '';
  }

  async addWorktree(dir: string, commit: string): Promise<void> {
    await this.exec(['worktree', 'add', '--detach', '--quiet', dir, commit]);
  }

  async removeWorktree(dir: string): Promise<void> {
    await this.exec(['worktree', 'remove', '--force', dir]);
  }

  /** The repository's top-level directory. */
  async topLevel(): Promise<string> {
    return (await this.exec(['rev-parse', '--show-toplevel'])).trim();
  }
}

function splitLines(output: string): string[] {
  return output.split('\0').filter((line) => line !== '');
}
