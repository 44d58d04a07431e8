/**
 * The bench the workflows run on: a temporary git repository holding this workspace's code (its packages linked
 * in, as `npm ci` would leave them) and `flags/org.yaml`; the fake GitHub with its Actions, issues and commit
 * status endpoints on loopback; the stateful stand-in terraform on PATH; and the workflow runner
 * (`workflow-run.ts`) with artifacts as directories. kitt itself runs for real, through `npx kitt`.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { linkNodeModules } from '../../checkout/source-tree';
import { FakeActions } from '../../github/__fixtures__/fake-actions';
import { FakeGitHub } from '../../github/__fixtures__/fake-github';
import { FakeIssues } from '../../github/__fixtures__/fake-issues';
import { artifactsOf } from './artifact-dirs';
import { runWorkflow, type WorkflowRun } from './workflow-run';

const WORKSPACE = resolve(__dirname, '../../../../..');
const COPIED = ['scripts', 'packages', 'package.json', 'nx.json', 'tsconfig.base.json', '.gitignore', '.github'];
const STATEFUL_TERRAFORM_BIN = resolve(__dirname, '../../apply/__fixtures__/bin');
const ORG_YAML = resolve(__dirname, '../../terraform/__fixtures__/repo/org.yaml');
const HARNESS_BIN = join(__dirname, 'bin');

export interface CommitStatus {
  readonly sha: string;
  readonly state: string;
  readonly context: string;
  readonly description: string;
}

export class WorkflowBench {
  readonly repo: string;
  readonly stateDir: string;
  readonly artifacts: string;
  readonly statuses: CommitStatus[] = [];
  private readonly terraformLog: string;
  private nextRunId = 9001;

  private constructor(
    readonly root: string,
    readonly github: FakeGitHub,
    readonly actions: FakeActions,
    readonly issues: FakeIssues,
  ) {
    this.repo = join(root, 'repo');
    this.stateDir = join(root, 'state');
    this.artifacts = join(root, 'artifacts');
    this.terraformLog = join(root, 'terraform-calls.jsonl');
    github.addRoutes((request, res) => {
      const status = /^\/repos\/acme\/infra\/statuses\/([0-9a-f]{40})$/.exec(request.path);
      if (!status || request.method !== 'POST') return false;
      const body = request.body as Record<string, string>;
      this.statuses.push({ sha: status[1] as string, state: body.state ?? '', context: body.context ?? '', description: body.description ?? '' });
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: this.statuses.length, ...body }));
      return true;
    });
  }

  /** main holding this workspace's code and `flags/org.yaml`, and no FLAG yet. */
  static async start(): Promise<WorkflowBench> {
    const root = mkdtempSync(join(tmpdir(), 'kitt-workflow-runs-'));
    const github = await FakeGitHub.start({ issues: [7, 8] });
    const bench = new WorkflowBench(root, github, new FakeActions(github), new FakeIssues(github));
    mkdirSync(bench.repo);
    for (const entry of COPIED) {
      cpSync(join(WORKSPACE, entry), join(bench.repo, entry), {
        recursive: true,
        filter: (source) => !/[\\/](node_modules|cdktf\.out|\.nx|dist|out)$/.test(source),
      });
    }
    mkdirSync(join(bench.repo, 'flags'));
    cpSync(ORG_YAML, join(bench.repo, 'flags', 'org.yaml'));
    linkNodeModules(WORKSPACE, bench.repo);
    bench.git('init', '--quiet', '--initial-branch=main');
    bench.git('config', 'user.email', 'test@example.com');
    bench.git('config', 'user.name', 'test');
    bench.git('config', 'commit.gpgsign', 'false');
    bench.commit('base');
    return bench;
  }

  async close(): Promise<void> {
    await this.github.close();
    rmSync(this.root, { recursive: true, force: true });
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  }

  commit(message: string): string {
    this.git('add', '-A');
    this.git('commit', '--quiet', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }

  /** The runner machine's environment: the stand-in terraform, npm and gh first on PATH. */
  private env(): Record<string, string | undefined> {
    return {
      PATH: [HARNESS_BIN, STATEFUL_TERRAFORM_BIN, process.env.PATH ?? ''].join(delimiter),
      HOME: process.env.HOME,
      npm_config_offline: 'true',
      npm_config_update_notifier: 'false',
      FAKE_TF_STATE_DIR: this.stateDir,
      FAKE_TERRAFORM_LOG: this.terraformLog,
    };
  }

  /** Runs `.github/workflows/<file>` of the repository for an event, on the commit `sha` of `ref`. */
  async run(
    file: string,
    event: { name: string; payload: Record<string, unknown> },
    sha: string,
    ref: string,
  ): Promise<WorkflowRun & { runId: number }> {
    const runId = this.nextRunId++;
    const run = await runWorkflow({
      workflow: join(this.repo, '.github', 'workflows', file),
      workspace: this.repo,
      event,
      github: { sha, ref, repository: 'acme/infra', runId, token: 'test-token', apiUrl: this.github.baseUrl },
      env: this.env(),
      artifacts: this.artifacts,
      tempRoot: this.root,
    });
    return Object.assign(run, { runId });
  }

  /** A run's artifacts, served by the fake GitHub's Actions API from now on (as GitHub keeps them). */
  publishRun(runId: number, run: { headSha: string; event?: string; path?: string; conclusion?: string }): void {
    this.actions.addRun({ id: runId, ...run });
    for (const [name, files] of Object.entries(artifactsOf(this.artifacts, runId))) {
      this.actions.addArtifact(runId, name, files);
    }
  }

  artifactsOf(runId: number): Record<string, Record<string, string>> {
    return artifactsOf(this.artifacts, runId);
  }

  /** The stacks the stand-in terraform ran `apply` in, in order. */
  appliedStacks(): string[] {
    return this.terraformCalls()
      .filter((c) => c.args[0] === 'apply')
      .map((c) => c.cwd.split('/').at(-1) as string);
  }

  terraformCalls(): { cwd: string; args: string[] }[] {
    if (!existsSync(this.terraformLog)) return [];
    return readFileSync(this.terraformLog, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { cwd: string; args: string[] });
  }

  clearTerraformCalls(): void {
    rmSync(this.terraformLog, { force: true });
  }

  statePath(stack: string): string {
    return join(this.stateDir, `${stack}.json`);
  }
}
