import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** This repository's root, whose `flags/` holds the example FLAGs. */
const REPO_ROOT = path.resolve(__dirname, '../../../..');

/**
 * The one temporary repository of the tests, in the OS temp dir: files
 * written, copied or linked in, optionally a real git repository, removed by
 * `dispose`. Paths are repo-relative. Other packages import it as
 * `@kitt/flag-config/src/__fixtures__/temp-repo`.
 */
export class TempRepo {
  readonly root: string;

  /** @param prefix of the directory's name, so a leftover says which test made it */
  constructor(prefix = 'kitt-flag-config-') {
    this.root = mkdtempSync(path.join(tmpdir(), prefix));
  }

  /** Writes each repo-relative path → content, creating directories. */
  write(files: Readonly<Record<string, string>>): this {
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(this.root, file)), { recursive: true });
      writeFileSync(path.join(this.root, file), content);
    }
    return this;
  }

  remove(file: string): this {
    rmSync(path.join(this.root, file), { recursive: true, force: true });
    return this;
  }

  /** Replaces text in a file (fails the test when the text is absent). */
  edit(file: string, from: string, to: string): this {
    const text = readFileSync(path.join(this.root, file), 'utf8');
    if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
    writeFileSync(path.join(this.root, file), text.replace(from, to));
    return this;
  }

  /** Copies a file or directory (an absolute path) to `target` in the repository, skipping what `filter` refuses. */
  copyIn(source: string, target = '.', filter?: (source: string) => boolean): this {
    cpSync(source, path.join(this.root, target), { recursive: true, ...(filter ? { filter } : {}) });
    return this;
  }

  /** A copy of this repository's `flags/`: the example FLAGs and `flags/org.yaml`. */
  copyExampleFlags(): this {
    return this.copyIn(path.join(REPO_ROOT, 'flags'), 'flags');
  }

  /** A symbolic link at `file` to the directory `target`. */
  link(target: string, file: string): this {
    symlinkSync(target, path.join(this.root, file), 'dir');
    return this;
  }

  /** `git init` on branch main with a fixed identity, so commits work on any machine. */
  gitInit(): this {
    this.git('init', '--quiet', '--initial-branch=main');
    this.git('config', 'user.email', 'test@example.com');
    this.git('config', 'user.name', 'test');
    this.git('config', 'commit.gpgsign', 'false');
    return this;
  }

  /** Commits everything; returns the commit's SHA. */
  commit(message: string): string {
    this.git('add', '--all');
    this.git('commit', '--quiet', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }

  /** Runs git in the repository; its output, trimmed. */
  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
