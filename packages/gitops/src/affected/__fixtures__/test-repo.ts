import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { FLAG_FILE_NAME, flagDir } from '@kitt/flag-config';

/** The workspace's installed dependencies (for `yaml` in the stand-in `kitt synth`). */
const NODE_MODULES = resolve(__dirname, '../../../../../node_modules');

export interface TestFlag {
  readonly customer: string;
  readonly environment?: string;
  readonly region?: string;
  readonly accountId?: string;
  readonly vpcCidr?: string;
  /** Cell name → node count (the stand-in layer puts it in the cell stack). */
  readonly cells?: Readonly<Record<string, number>>;
}

/**
 * A real git repository in a temporary directory: the stand-in `kitt synth`
 * (`mini-repo/`), `node_modules` linked from the workspace, and FLAG files
 * written and committed by the test.
 */
export class TestRepo {
  private constructor(readonly root: string) {}

  static create(): TestRepo {
    const root = mkdtempSync(join(tmpdir(), 'kitt-affected-repo-'));
    cpSync(join(__dirname, 'mini-repo'), root, { recursive: true });
    symlinkSync(NODE_MODULES, join(root, 'node_modules'), 'dir');
    writeFileSync(join(root, '.gitignore'), 'node_modules\n');
    const repo = new TestRepo(root);
    repo.git('init', '--quiet', '--initial-branch=main');
    repo.git('config', 'user.email', 'test@example.com');
    repo.git('config', 'user.name', 'test');
    repo.git('config', 'commit.gpgsign', 'false');
    return repo;
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  }

  write(path: string, text: string): void {
    mkdirSync(dirname(join(this.root, path)), { recursive: true });
    writeFileSync(join(this.root, path), text);
  }

  remove(path: string): void {
    rmSync(join(this.root, path), { recursive: true, force: true });
  }

  /** Writes `flags/<customer>/<environment>/<region>/flag.yaml`; returns the FLAG directory. */
  writeFlag(flag: TestFlag): string {
    const dir = flagDir({
      customer: flag.customer,
      environment: flag.environment ?? 'prod',
      region: flag.region ?? 'us-east-1',
    });
    const cells = Object.entries(flag.cells ?? { a1: 3 })
      .map(([name, nodes]) => `  - name: ${name}\n    nodes: ${nodes}\n`)
      .join('');
    this.write(
      `${dir}/${FLAG_FILE_NAME}`,
      [
        `customer: ${flag.customer}`,
        `environment: ${flag.environment ?? 'prod'}`,
        `region: ${flag.region ?? 'us-east-1'}`,
        'aws:',
        `  accountId: "${flag.accountId ?? '111111111111'}"`,
        'network:',
        `  vpcCidr: ${flag.vpcCidr ?? '10.1.0.0/16'}`,
        `cells:\n${cells}`,
      ].join('\n'),
    );
    return dir;
  }

  /** Commits everything; returns the commit's SHA. */
  commit(message: string): string {
    this.git('add', '--all');
    this.git('commit', '--quiet', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }

  /** Replaces text in a file of the working tree (fails the test when the text is absent). */
  edit(path: string, from: string, to: string): void {
    const file = join(this.root, path);
    const text = readFileSync(file, 'utf8');
    if (!text.includes(from)) throw new Error(`${path} does not contain ${from}`);
    writeFileSync(file, text.replace(from, to));
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
