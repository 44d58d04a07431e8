/**
 * The apply's test bench: a real git repository with a FLAG, a stand-in terraform that keeps state
 * (`bin/terraform`), the fake GitHub with its Actions endpoints, and a stack factory that synthesizes each FLAG
 * into `terraform_data` stacks (flag, one cell per `cells` entry, its addons) instead of AWS ones, so every step
 * of a pull request's life can be played: plan and record, approve, merge, apply.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { flagDirOfId } from '@kitt/flag-config';
import { FakeActions, type FakeReview } from '../../github/__fixtures__/fake-actions';
import { ACTIONS_BOT, FakeGitHub, type FakeUser } from '../../github/__fixtures__/fake-github';
import { publishPlanRecord } from '../../github/plan-record-comment';
import { buildPlanRecord, type StackResult } from '../../plan/record';
import { renderPlanComment } from '../../plan-markdown/render';
import type { StackToPlan } from '../../stacks/stack-order';
import { planStacks } from '../../terraform/plan-flags';
import { FIXTURES as TERRAFORM_FIXTURES, REPO_FLAG } from '../../terraform/__fixtures__/stand-in';
import { runApply, type ApplyOutcome, type ApplyRequest } from '../run-apply';
import { runApprove, type ApproveRequest } from '../run-approve';
import type { StackSource } from '../stack-source';

const APPLY_WORKFLOW = '.github/workflows/apply.yml';

export const STATEFUL_TERRAFORM = join(__dirname, 'bin', 'terraform');
export const FLAG_ID = REPO_FLAG.id;
export const STACKS = {
  flag: `${FLAG_ID}-flag`,
  cellA1: `${FLAG_ID}-cell-a1`,
  addonsA1: `${FLAG_ID}-addons-a1`,
  cellB1: `${FLAG_ID}-cell-b1`,
  addonsB1: `${FLAG_ID}-addons-b1`,
} as const;
export const AUTHOR: FakeUser = { login: 'alice', type: 'User' };
export const REVIEWER: FakeUser = { login: 'bob', type: 'User' };
export const KITT = { login: ACTIONS_BOT.login, source: 'viewer' } as const;

export interface FlagDoc {
  network: { vpcCidr: string; zones: string[] };
  cells?: { name: string; zone: string; slot: number; nodes?: number }[];
  [key: string]: unknown;
}

/** The `terraform_data` stacks of one FLAG document, as cdk.tf.json texts by stack name, with their dependencies. */
function stacksOfFlag(flagId: string, doc: FlagDoc): { stack: string; layer: StackToPlan['layer']; dependsOn: string[]; config: unknown }[] {
  const flagStack = `${flagId}-flag`;
  const data = (input: unknown) => ({ resource: { terraform_data: { this: { input } } } });
  return [
    { stack: flagStack, layer: 'flag', dependsOn: [], config: data({ vpcCidr: doc.network.vpcCidr, zones: doc.network.zones }) },
    ...(doc.cells ?? []).flatMap((c) => [
      { stack: `${flagId}-cell-${c.name}`, layer: 'cell' as const, dependsOn: [flagStack], config: data(c) },
      {
        stack: `${flagId}-addons-${c.name}`,
        layer: 'addons' as const,
        dependsOn: [`${flagId}-cell-${c.name}`],
        config: data({ cell: c.name }),
      },
    ]),
  ];
}

export class ApplyJourney {
  readonly stateDir: string;
  readonly synthOut: string;
  readonly env: Record<string, string | undefined>;
  private readonly log: string;
  private nextRunId = 9100;

  private constructor(
    readonly root: string,
    readonly repoDir: string,
    readonly github: FakeGitHub,
    readonly actions: FakeActions,
  ) {
    this.stateDir = join(root, 'state');
    this.synthOut = join(root, 'synth');
    this.log = join(root, 'terraform-calls.jsonl');
    this.env = {
      PATH: `${join(__dirname, 'bin')}${delimiter}${process.env.PATH ?? ''}`,
      HOME: process.env.HOME,
      KITT_TERRAFORM: STATEFUL_TERRAFORM,
      FAKE_TF_STATE_DIR: this.stateDir,
      FAKE_TERRAFORM_LOG: this.log,
    };
  }

  /**
   * main with `flags/org.yaml` and the FLAG (one cell, a1, unless `edit` changes it), its stacks applied; with
   * `withoutFlag`, main with `flags/org.yaml` alone (a branch adds the FLAG with `addFlag`).
   */
  static async start(edit?: (doc: FlagDoc) => void, options: { withoutFlag?: boolean } = {}): Promise<ApplyJourney> {
    const root = mkdtempSync(join(tmpdir(), 'kitt-apply-'));
    const repoDir = join(root, 'repo');
    mkdirSync(join(repoDir, 'flags'), { recursive: true });
    copyFileSync(join(TERRAFORM_FIXTURES, 'repo', 'org.yaml'), join(repoDir, 'flags', 'org.yaml'));
    const github = await FakeGitHub.start({ issues: [7, 8] });
    const journey = new ApplyJourney(root, repoDir, github, new FakeActions(github));
    journey.git('init', '--quiet', '--initial-branch=main');
    journey.git('config', 'user.email', 'test@example.com');
    journey.git('config', 'user.name', 'test');
    journey.git('config', 'commit.gpgsign', 'false');
    if (options.withoutFlag) {
      journey.commit('base');
      return journey;
    }
    journey.addFlag();
    if (edit) journey.editFlag(edit);
    journey.commit('base');
    await journey.applyMain();
    return journey;
  }

  /** Writes the FLAG's flag.yaml (one cell, a1) into the working tree. */
  addFlag(): void {
    mkdirSync(join(this.repoDir, REPO_FLAG.dir), { recursive: true });
    copyFileSync(join(TERRAFORM_FIXTURES, 'repo', `${FLAG_ID}.flag.yaml`), join(this.repoDir, REPO_FLAG.dir, 'flag.yaml'));
  }

  async close(): Promise<void> {
    await this.github.close();
    rmSync(this.root, { recursive: true, force: true });
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.repoDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  }

  commit(message: string): string {
    this.git('add', '-A');
    this.git('commit', '--quiet', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }

  /** Changes the FLAG's flag.yaml in the working tree. */
  editFlag(change: (doc: FlagDoc) => void): void {
    const file = join(this.repoDir, REPO_FLAG.dir, 'flag.yaml');
    const doc = parse(readFileSync(file, 'utf8')) as FlagDoc;
    change(doc);
    writeFileSync(file, stringify(doc));
  }

  /** The test stack factory: `terraform_data` stacks from the checked-out tree, or from a commit for removed ones. */
  stackSource(synthOut = this.synthOut): StackSource {
    return {
      current: (flagIds) =>
        Promise.resolve(flagIds.flatMap((id) => this.synthesize(id, 'head', this.readFlag(id), synthOut))),
      at: (commit, flagIds) => {
        const sha = this.git('rev-parse', commit);
        return Promise.resolve(flagIds.flatMap((id) => this.synthesize(id, sha, this.readFlag(id, sha), synthOut)));
      },
      removed: (commit, stacks) => {
        const flagIds = [...new Set(stacks.map((s) => s.flagId))];
        const sha = this.git('rev-parse', commit);
        return Promise.resolve(flagIds.flatMap((id) => this.synthesize(id, sha, this.readFlag(id, sha), synthOut)));
      },
    };
  }

  private readFlag(flagId: string, commit?: string): FlagDoc | undefined {
    const file = `${flagDirOfId(flagId)}/flag.yaml`;
    if (commit === undefined) {
      const path = join(this.repoDir, file);
      return existsSync(path) ? (parse(readFileSync(path, 'utf8')) as FlagDoc) : undefined;
    }
    return parse(this.git('show', `${commit}:${file}`)) as FlagDoc;
  }

  private synthesize(flagId: string, where: string, doc: FlagDoc | undefined, synthOut: string): StackToPlan[] {
    if (!doc) return [];
    return stacksOfFlag(flagId, doc).map((s) => {
      const dir = join(synthOut, where, flagId, 'stacks', s.stack);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(s.config, null, 2));
      return { flagId, stack: s.stack, layer: s.layer, dir, dependsOn: s.dependsOn };
    });
  }

  /** Plans and applies every stack of the checked-out tree directly (the state main starts from). */
  private async applyMain(): Promise<void> {
    const stacks = await this.stackSource().current([FLAG_ID]);
    for (const stack of stacks) {
      const planFile = join(this.root, 'bootstrap.tfplan');
      execFileSync(STATEFUL_TERRAFORM, ['init'], { cwd: stack.dir, env: this.env as NodeJS.ProcessEnv });
      execFileSync(STATEFUL_TERRAFORM, ['plan', `-out=${planFile}`], { cwd: stack.dir, env: this.env as NodeJS.ProcessEnv });
      execFileSync(STATEFUL_TERRAFORM, ['apply', planFile], { cwd: stack.dir, env: this.env as NodeJS.ProcessEnv });
    }
    rmSync(this.log, { force: true });
  }

  /** Plans the checked-out tree as plan.yml would (no lock), with its destroys of stacks gone since `base`. */
  async plan(options: { head: string; base?: string; runId?: string; flagIds?: readonly string[] }): Promise<StackResult[]> {
    const source = this.stackSource();
    const stacks = await source.current(options.flagIds ?? [FLAG_ID]);
    const names = new Set(stacks.map((s) => s.stack));
    const atBase = options.base
      ? (await source.removed(options.base, [{ flagId: FLAG_ID, stack: '', layer: 'flag', status: 'changes', removed: true }])).filter(
          (s) => !names.has(s.stack),
        )
      : [];
    const results = await planStacks({
      stacks,
      removedStacks: atBase,
      outDir: join(this.root, 'pr-plans'),
      binary: STATEFUL_TERRAFORM,
      env: this.env,
      provenance: { headSha: options.head, ...(options.base ? { baseSha: options.base } : {}), ...(options.runId ? { runId: options.runId } : {}) },
    });
    return results.map((r) => r.result);
  }

  /**
   * plan.yml and record.yml for the pull request's head: plans (no lock), uploads the summaries as the plan run's
   * artifact, and kitt posts the record naming that run.
   */
  async planAndRecord(
    pr: number,
    options: {
      base?: string;
      run?: Partial<Parameters<FakeActions['addRun']>[0]>;
      /** Changes what the artifact holds (not the record): a run whose artifacts disagree with the comment. */
      tamper?: (result: StackResult) => StackResult;
      /** How the pull request is planned. @default the test factory's stacks, planned with `planStacks` */
      planner?: (head: string, runId: string) => Promise<readonly StackResult[]>;
      /** The FLAGs the pull request changes. @default [FLAG_ID] */
      flagIds?: readonly string[];
    } = {},
  ) {
    const head = this.git('rev-parse', 'HEAD');
    const runId = this.nextRunId++;
    const results = options.planner
      ? await options.planner(head, String(runId))
      : await this.plan({
          head,
          runId: String(runId),
          ...(options.base ? { base: options.base } : {}),
          ...(options.flagIds ? { flagIds: options.flagIds } : {}),
        });
    rmSync(this.log, { force: true }); // the calls a test looks at are the apply's
    this.actions.addRun({ id: runId, headSha: head, ...options.run });
    this.actions.addArtifact(
      runId,
      `plan-summaries-${(options.flagIds ?? [FLAG_ID]).join('-')}`,
      Object.fromEntries(
        results.map((r) => [`${r.flagId}/${r.stack}/summary.json`, `${JSON.stringify(options.tamper?.(r) ?? r, null, 2)}\n`]),
      ),
    );
    const record = buildPlanRecord(results, { headSha: head, runId: String(runId) });
    await publishPlanRecord(this.github.client(), {
      owner: 'acme',
      repo: 'infra',
      pr,
      body: renderPlanComment(record),
      head,
      author: KITT,
    });
    this.github.setPullRequest({ number: pr, headSha: head, author: AUTHOR.login });
    return { head, runId, results };
  }

  approve(pr: number, review: Partial<FakeReview> = {}): void {
    this.actions.addReview(pr, { user: REVIEWER, state: 'APPROVED', commitId: this.git('rev-parse', 'HEAD'), ...review });
  }

  /** Merges the branch into main (a merge commit) and tells GitHub; main is checked out afterwards. */
  merge(pr: number, branch: string): string {
    const head = this.git('rev-parse', branch);
    this.git('checkout', '--quiet', 'main');
    this.git('merge', '--quiet', '--no-ff', '-m', `Merge pull request #${pr}`, branch);
    const merge = this.git('rev-parse', 'HEAD');
    this.github.setPullRequest({ number: pr, headSha: head, author: AUTHOR.login, mergeCommitSha: merge });
    return merge;
  }

  /** `kitt apply --approve` of a follow-up record, in a workflow_dispatch run of apply.yml started by `actor`. */
  approveFollowUp(
    pr: number,
    recordId: number,
    actor: string,
    overrides: Partial<ApproveRequest> = {},
  ): Promise<ApplyOutcome> {
    const runId = this.nextRunId++;
    this.actions.addRun({ id: runId, headSha: this.git('rev-parse', 'HEAD'), path: APPLY_WORKFLOW, event: 'workflow_dispatch' });
    const recordDir = join(this.root, `apply-record-${runId}`);
    return this.uploadingRecord(runId, recordDir, () =>
      runApprove({
        ...this.context(),
        env: { ...this.env, GITHUB_ACTOR: actor, GITHUB_EVENT_NAME: 'workflow_dispatch', GITHUB_RUN_ID: String(runId) },
        commit: this.git('rev-parse', 'HEAD'),
        pr,
        recordId,
        recordDir,
        ...overrides,
      }),
    );
  }

  /**
   * An apply run on push to main, known to GitHub as one (its follow-up records name it), whose apply record files
   * are uploaded as its `apply-record-<flag-id>` artifact, as apply.yml does.
   */
  applyAsRun(overrides: Partial<ApplyRequest> = {}): Promise<ApplyOutcome> {
    const runId = this.nextRunId++;
    this.actions.addRun({ id: runId, headSha: this.git('rev-parse', 'HEAD'), path: APPLY_WORKFLOW, event: 'push' });
    const recordDir = join(this.root, `apply-record-${runId}`);
    return this.uploadingRecord(runId, recordDir, () =>
      this.apply({ env: { ...this.env, GITHUB_RUN_ID: String(runId) }, recordDir, ...overrides }),
    );
  }

  private async uploadingRecord(runId: number, recordDir: string, run: () => Promise<ApplyOutcome>): Promise<ApplyOutcome> {
    try {
      return await run();
    } finally {
      if (existsSync(recordDir)) {
        const files = Object.fromEntries(
          readdirSync(recordDir)
            .filter((f) => f.endsWith('.json'))
            .map((f) => [f, readFileSync(join(recordDir, f), 'utf8')]),
        );
        this.actions.addArtifact(runId, `apply-record-${FLAG_ID}`, files);
      }
    }
  }

  private context() {
    return {
      repoDir: this.repoDir,
      octokit: this.github.client(),
      owner: 'acme',
      repo: 'infra',
      author: KITT,
      outDir: join(this.root, 'apply-plans'),
      recordDir: join(this.root, 'apply-record'),
      synthOut: this.synthOut,
      stackSource: this.stackSource(),
    };
  }

  /** Lists `approvers` for the FLAG's environment in flags/org.yaml on main (committed). */
  setApprovers(approvers: readonly string[]): void {
    const file = join(this.repoDir, 'flags', 'org.yaml');
    const org = parse(readFileSync(file, 'utf8')) as { environments: Record<string, unknown> };
    org.environments.dev = { environment: 'development', approvers };
    writeFileSync(file, stringify(org));
    this.commit('Approvers of dev');
  }

  apply(overrides: Partial<ApplyRequest> = {}): Promise<ApplyOutcome> {
    return runApply({
      repoDir: this.repoDir,
      env: this.env,
      octokit: this.github.client(),
      owner: 'acme',
      repo: 'infra',
      commit: this.git('rev-parse', 'HEAD'),
      author: KITT,
      outDir: join(this.root, 'apply-plans'),
      recordDir: join(this.root, 'apply-record'),
      synthOut: this.synthOut,
      stackSource: this.stackSource(),
      ...overrides,
    });
  }

  /** The stacks the stand-in ran `apply` in, in order. */
  appliedStacks(): string[] {
    return this.calls()
      .filter((c) => c.args[0] === 'apply')
      .map((c) => c.cwd.split('/').at(-1) as string);
  }

  calls(): { cwd: string; args: string[] }[] {
    if (!existsSync(this.log)) return [];
    return readFileSync(this.log, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { cwd: string; args: string[] });
  }

  /** The state the stand-in keeps for a stack (to drift it, or read it). */
  statePath(stack: string): string {
    return join(this.stateDir, `${stack}.json`);
  }
}
