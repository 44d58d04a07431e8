import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** A throw-away repository directory; `files` are repo-relative path → content. */
export class TempRepo {
  readonly root = mkdtempSync(path.join(tmpdir(), 'kitt-flag-config-'));

  write(files: Record<string, string>): this {
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

  /** `git init` with a fixed identity, so commits work on any machine. */
  gitInit(): this {
    this.git('init', '--quiet', '--initial-branch=main');
    this.git('config', 'user.email', 'test@example.com');
    this.git('config', 'user.name', 'test');
    this.git('config', 'commit.gpgsign', 'false');
    return this;
  }

  commit(message: string): this {
    this.git('add', '--all');
    this.git('commit', '--quiet', '--allow-empty', '-m', message);
    return this;
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.root, stdio: ['ignore', 'pipe', 'pipe'] }).toString('utf8');
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
