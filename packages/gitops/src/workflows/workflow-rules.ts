import { parse } from 'yaml';
import { applyProblems, APPLIES } from './apply-rules';
import { driftIssueProblems, WRITES_DRIFT_ISSUES } from './drift-rules';

/** The security rules every workflow under `.github/workflows` keeps. */
export const WorkflowRule = {
  /** `pull_request_target` runs PR code with the base repository's secrets and a write token. */
  NO_PULL_REQUEST_TARGET: 'no-pull-request-target',
  /** Permissions declared at the top or on every job (else the repository default, often write-all, applies). */
  PERMISSIONS_DECLARED: 'permissions-declared',
  /**
   * No `write-all`/`read-all`; no write at the top; `id-token: write` only with OIDC, `pull-requests: write` only to
   * comment and `statuses: write` only to set a commit status, both from a workflow_run workflow.
   */
  PERMISSIONS_MINIMAL: 'permissions-minimal',
  /**
   * No job of a `pull_request` workflow holds a write permission other than `id-token` (in such a run the workflow
   * file itself is the pull request's): what writes to the pull request runs on `workflow_run`.
   */
  PULL_REQUEST_READ_ONLY: 'pull-request-read-only',
  /**
   * A `workflow_run` workflow runs only the default branch's code: checkout without `ref` or `repository`, no git
   * command that fetches or switches to other commits, artifacts downloaded outside the workspace.
   */
  WORKFLOW_RUN_TRUSTED_CODE: 'workflow-run-trusted-code',
  /** Every non-local action pinned to a full 40-hex commit SHA, with its tag in a comment. */
  ACTIONS_PINNED: 'actions-pinned',
  /** No `${{ }}` inside `run:`: data reaches the shell through `env:`, never spliced into the script. */
  NO_EXPRESSIONS_IN_RUN: 'no-expressions-in-run',
  /** hashicorp/setup-terraform with `terraform_wrapper: false` (the wrapper swallows `-detailed-exitcode`'s 2). */
  TERRAFORM_WRAPPER_OFF: 'terraform-wrapper-off',
  /** Only summaries and Markdown are uploaded; saved plans and plan.json (secrets in clear text) are neither uploaded nor cached. */
  NO_SECRET_ARTIFACTS: 'no-secret-artifacts',
  /** A pull request workflow cancels its superseded runs of the same PR. */
  CONCURRENCY_CANCELS: 'concurrency-cancels',
  /** actions/checkout with `persist-credentials: false`: later steps (PR code) get no token in .git/config. */
  CHECKOUT_NO_CREDENTIALS: 'checkout-no-credentials',
  /** Every job has `timeout-minutes` (the default is six hours). */
  JOB_TIMEOUT: 'job-timeout',
  /** `kitt apply` runs on push to main only, in an Environment, one FLAG at a time, never cancelled, with OIDC. */
  APPLY_GUARDED: 'apply-guarded',
  /**
   * `kitt drift` writes issues on schedule (or dispatch) for main only, in a job without AWS credentials that runs
   * nothing but `npm ci` and `kitt drift` of main's checkout.
   */
  DRIFT_ISSUES_TRUSTED: 'drift-issues-trusted',
} as const;

export type WorkflowRule = (typeof WorkflowRule)[keyof typeof WorkflowRule];

export interface WorkflowViolation {
  readonly rule: WorkflowRule;
  /** Where in the workflow, e.g. `jobs.plan.steps[4]`. */
  readonly where: string;
  readonly message: string;
}

type Mapping = Readonly<Record<string, unknown>>;

interface Step {
  readonly where: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with: Mapping;
}

interface Job {
  readonly id: string;
  readonly where: string;
  readonly body: Mapping;
  readonly steps: readonly Step[];
}

/** Every violation of the rules in one workflow file's text. */
export function checkWorkflow(source: string): WorkflowViolation[] {
  const workflow = asMapping(parse(source));
  const jobs = jobsOf(workflow);
  return [
    ...noPullRequestTarget(workflow),
    ...permissionsDeclared(workflow, jobs),
    ...permissionsMinimal(workflow, jobs),
    ...pullRequestReadOnly(workflow, jobs),
    ...workflowRunTrustedCode(workflow, jobs),
    ...actionsPinned(jobs, source),
    ...noExpressionsInRun(jobs),
    ...terraformWrapperOff(jobs),
    ...noSecretArtifacts(jobs),
    ...concurrencyCancels(workflow),
    ...checkoutNoCredentials(jobs),
    ...jobTimeouts(jobs),
    ...applyProblems(
      workflow,
      triggersOf(workflow),
      jobs.map((job) => ({
        where: job.where,
        body: job.body,
        runs: job.steps.flatMap((s) => s.run ?? []),
        uses: job.steps.flatMap((s) => s.uses ?? []),
      })),
    ).map((p) => violation(WorkflowRule.APPLY_GUARDED, p.where, p.message)),
    ...driftIssueProblems(
      triggersOf(workflow),
      jobs.map((job) => ({
        where: job.where,
        body: job.body,
        runs: job.steps.flatMap((s) => s.run ?? []),
        checkouts: job.steps.filter((s) => actionName(s.uses) === 'actions/checkout').map((s) => s.with),
      })),
    ).map((p) => violation(WorkflowRule.DRIFT_ISSUES_TRUSTED, p.where, p.message)),
  ];
}

/** Event names of `on:` (a name, a list, or a mapping). YAML 1.1 readers turn the key `on` into `true`. */
export function triggersOf(workflow: Mapping): string[] {
  const on = workflow.on ?? workflow.true;
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.map(String);
  return Object.keys(asMapping(on));
}

function noPullRequestTarget(workflow: Mapping): WorkflowViolation[] {
  return triggersOf(workflow).includes('pull_request_target')
    ? [violation(WorkflowRule.NO_PULL_REQUEST_TARGET, 'on', 'runs on pull_request_target: use pull_request')]
    : [];
}

function permissionsDeclared(workflow: Mapping, jobs: readonly Job[]): WorkflowViolation[] {
  if ('permissions' in workflow) return [];
  return jobs
    .filter((job) => !('permissions' in job.body))
    .map((job) =>
      violation(
        WorkflowRule.PERMISSIONS_DECLARED,
        job.where,
        'no permissions here or at the top: the repository default applies',
      ),
    );
}

function permissionsMinimal(workflow: Mapping, jobs: readonly Job[]): WorkflowViolation[] {
  const found: WorkflowViolation[] = [];
  const top = workflow.permissions;
  if (typeof top === 'string')
    found.push(
      violation(WorkflowRule.PERMISSIONS_MINIMAL, 'permissions', `'${top}': list the scopes a job needs, per job`),
    );
  for (const [scope, level] of Object.entries(asMapping(top))) {
    if (level === 'write')
      found.push(
        violation(
          WorkflowRule.PERMISSIONS_MINIMAL,
          `permissions.${scope}`,
          'write granted to every job: grant it on the job that needs it',
        ),
      );
  }
  for (const job of jobs) {
    const permissions = job.body.permissions;
    if (typeof permissions === 'string') {
      found.push(
        violation(
          WorkflowRule.PERMISSIONS_MINIMAL,
          `${job.where}.permissions`,
          `'${permissions}': list the scopes the job needs`,
        ),
      );
      continue;
    }
    for (const [scope, level] of Object.entries(asMapping(permissions))) {
      if (level !== 'write') continue;
      const why = writeScopeProblem(scope, job, workflow);
      if (why) found.push(violation(WorkflowRule.PERMISSIONS_MINIMAL, `${job.where}.permissions.${scope}`, why));
    }
  }
  return found;
}

const COMMIT_STATUS = /\bgh api --method POST "repos\/\$GITHUB_REPOSITORY\/statuses\//;

/** Why a job may not hold `scope: write`, or undefined when it needs it. */
function writeScopeProblem(scope: string, job: Job, workflow: Mapping): string | undefined {
  if (scope === 'id-token') {
    return job.steps.some((s) => actionName(s.uses) === 'aws-actions/configure-aws-credentials')
      ? undefined
      : 'id-token: write in a job that requests no OIDC credentials (aws-actions/configure-aws-credentials)';
  }
  if (scope === 'pull-requests' || scope === 'issues') {
    const events = triggersOf(workflow);
    // kitt apply posts the apply record; the apply rules keep it to push on main.
    if (scope === 'pull-requests' && job.steps.some((s) => APPLIES.test(s.run ?? ''))) {
      return events.every((e) => e === 'push' || e === 'workflow_dispatch')
        ? undefined
        : `${scope}: write for kitt apply in a workflow that runs on ${events.join(', ')}`;
    }
    // kitt drift writes its issues; the drift rules keep that job to main's code on schedule.
    if (scope === 'issues' && job.steps.some((s) => WRITES_DRIFT_ISSUES.test(s.run ?? ''))) return undefined;
    if (!job.steps.some((s) => /\bkitt comment\b/.test(s.run ?? '')))
      return `${scope}: write in a job that posts no comment (kitt comment)`;
    // In a pull request workflow, pull-request-read-only reports it.
    if (events.includes('workflow_run') || events.some((e) => PULL_REQUEST_EVENTS.includes(e))) return undefined;
    return `${scope}: write outside a workflow_run workflow: only the record workflow posts comments`;
  }
  if (scope === 'statuses') {
    // Only a workflow_run job reports on a pull request's head: a pull_request job holds no write at all.
    return triggersOf(workflow).includes('workflow_run') && job.steps.some((s) => COMMIT_STATUS.test(s.run ?? ''))
      ? undefined
      : 'statuses: write in a job that sets no commit status from a workflow_run workflow';
  }
  return `${scope}: write is needed by no kitt workflow job`;
}

const PINNED = /^[^@\s]+@[0-9a-f]{40}$/;
const TAG_COMMENT = /^\s*(?:-\s+)?uses:\s*(\S+)\s+#\s*\S+/;

/** Events whose runs execute the pull request's own workflow file and code. */
const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_review', 'pull_request_review_comment'];

function pullRequestReadOnly(workflow: Mapping, jobs: readonly Job[]): WorkflowViolation[] {
  const events = triggersOf(workflow).filter((t) => PULL_REQUEST_EVENTS.includes(t));
  if (events.length === 0) return [];
  const scopes = [
    ...writeScopes(workflow.permissions).map((scope) => ({ where: `permissions.${scope}`, scope })),
    ...jobs.flatMap((job) =>
      writeScopes(job.body.permissions).map((scope) => ({ where: `${job.where}.permissions.${scope}`, scope })),
    ),
  ];
  return scopes
    .filter(({ scope }) => scope !== 'id-token')
    .map(({ where, scope }) =>
      violation(
        WorkflowRule.PULL_REQUEST_READ_ONLY,
        where,
        `${scope}: write in a workflow that runs on ${events.join(', ')}, ` +
          "whose workflow file is the pull request's: write from a workflow_run workflow",
      ),
    );
}

/** The scopes granted `write` by a `permissions:` value (`write-all` grants every scope). */
function writeScopes(permissions: unknown): string[] {
  if (permissions === 'write-all') return ['write-all'];
  return Object.entries(asMapping(permissions))
    .filter(([, level]) => level === 'write')
    .map(([scope]) => scope);
}

const DEFAULT_BRANCH_REF = '${{ github.event.repository.default_branch }}';
const OTHER_COMMITS =
  /\bgit\s+(?:checkout|switch|fetch|pull|worktree|reset|merge|rebase|cherry-pick)\b|\bgh\s+pr\s+checkout\b/;
const RUNNER_TEMP = /^\$\{\{\s*runner\.temp\s*\}\}\//;

function workflowRunTrustedCode(workflow: Mapping, jobs: readonly Job[]): WorkflowViolation[] {
  if (!triggersOf(workflow).includes('workflow_run')) return [];
  const found: WorkflowViolation[] = [];
  const flag = (where: string, message: string) =>
    found.push(violation(WorkflowRule.WORKFLOW_RUN_TRUSTED_CODE, where, message));
  for (const s of stepsUsing(jobs, 'actions/checkout')) {
    const { ref, repository } = s.with;
    if (ref !== undefined && ref !== DEFAULT_BRANCH_REF)
      flag(s.where, `checks out '${String(ref)}': a workflow_run job checks out the default branch only (no ref)`);
    if (repository !== undefined && repository !== '${{ github.repository }}')
      flag(s.where, `checks out '${String(repository)}': a workflow_run job checks out this repository only`);
  }
  for (const job of jobs) {
    for (const s of job.steps.filter((step) => OTHER_COMMITS.test(step.run ?? ''))) {
      flag(s.where, 'runs git to fetch or switch commits: a workflow_run job runs the default branch only');
    }
  }
  for (const s of stepsUsing(jobs, 'actions/download-artifact')) {
    if (!RUNNER_TEMP.test(String(s.with.path ?? '')))
      flag(
        s.where,
        'downloads artifacts into the workspace: put them under ${{ runner.temp }}/, where no tool picks them up as code or config',
      );
  }
  return found;
}

function actionsPinned(jobs: readonly Job[], source: string): WorkflowViolation[] {
  const commented = new Set(source.split('\n').flatMap((line) => TAG_COMMENT.exec(line)?.[1] ?? []));
  const uses = jobs.flatMap((job) => [
    ...(typeof job.body.uses === 'string' ? [{ where: job.where, uses: job.body.uses }] : []),
    ...job.steps.flatMap((s) => (s.uses === undefined ? [] : [{ where: s.where, uses: s.uses }])),
  ]);
  return uses.flatMap(({ where, uses: ref }) => {
    if (ref.startsWith('./')) return [];
    if (ref.startsWith('docker://')) {
      return ref.includes('@sha256:')
        ? []
        : [violation(WorkflowRule.ACTIONS_PINNED, where, `${ref}: pin the image by digest (@sha256:...)`)];
    }
    if (!PINNED.test(ref))
      return [violation(WorkflowRule.ACTIONS_PINNED, where, `${ref}: pin to a full 40-hex commit SHA`)];
    if (!commented.has(ref))
      return [
        violation(WorkflowRule.ACTIONS_PINNED, where, `${ref}: say which tag the SHA is in a comment (# vX.Y.Z)`),
      ];
    return [];
  });
}

function noExpressionsInRun(jobs: readonly Job[]): WorkflowViolation[] {
  return jobs.flatMap((job) =>
    job.steps
      .filter((s) => s.run?.includes('${{'))
      .map((s) =>
        violation(
          WorkflowRule.NO_EXPRESSIONS_IN_RUN,
          s.where,
          '${{ }} inside run: pass the value through env: and use "$NAME"',
        ),
      ),
  );
}

function terraformWrapperOff(jobs: readonly Job[]): WorkflowViolation[] {
  return stepsUsing(jobs, 'hashicorp/setup-terraform')
    .filter((s) => s.with.terraform_wrapper !== false && s.with.terraform_wrapper !== 'false')
    .map((s) =>
      violation(
        WorkflowRule.TERRAFORM_WRAPPER_OFF,
        s.where,
        "set terraform_wrapper: false: the wrapper swallows plan -detailed-exitcode's 2",
      ),
    );
}

/** What may leave a job: stack summaries, the affected list, the plan record's metadata and Markdown. */
const UPLOADABLE = /(^|\/)(summary\.json|affected\.json|plan-record\.json|[^/]*\.md|apply-record\/[^/]*\.json)$/;
const SECRET_FILES = /tfplan|plan\.json|(^|\/)out\/plans|(^|\/)\.terraform(\/|$)/;

function noSecretArtifacts(jobs: readonly Job[]): WorkflowViolation[] {
  const uploads = stepsUsing(jobs, 'actions/upload-artifact').flatMap((s) =>
    pathsOf(s.with.path)
      .filter((p) => !UPLOADABLE.test(p) || /tfplan|(^|\/)plan\.json$/.test(p))
      .map((p) =>
        violation(
          WorkflowRule.NO_SECRET_ARTIFACTS,
          s.where,
          `uploads '${p}': upload only summary.json, affected.json, plan-record.json and Markdown`,
        ),
      ),
  );
  const caches = stepsUsing(jobs, 'actions/cache').flatMap((s) =>
    pathsOf(s.with.path)
      .filter((p) => SECRET_FILES.test(p))
      .map((p) =>
        violation(
          WorkflowRule.NO_SECRET_ARTIFACTS,
          s.where,
          `caches '${p}': saved plans and plan.json never leave the job`,
        ),
      ),
  );
  return [...uploads, ...caches];
}

function concurrencyCancels(workflow: Mapping): WorkflowViolation[] {
  if (!triggersOf(workflow).includes('pull_request')) return [];
  const concurrency = asMapping(workflow.concurrency);
  const group = String(concurrency.group ?? '');
  const cancel = concurrency['cancel-in-progress'];
  const perPullRequest = /github\.(event\.pull_request\.number|ref|head_ref)\b/.test(group);
  const cancels = cancel === true || (typeof cancel === 'string' && cancel.includes('${{'));
  return perPullRequest && cancels
    ? []
    : [
        violation(
          WorkflowRule.CONCURRENCY_CANCELS,
          'concurrency',
          'group runs per pull request and cancel-in-progress so a new push supersedes the old run',
        ),
      ];
}

function checkoutNoCredentials(jobs: readonly Job[]): WorkflowViolation[] {
  return stepsUsing(jobs, 'actions/checkout')
    .filter((s) => s.with['persist-credentials'] !== false && s.with['persist-credentials'] !== 'false')
    .map((s) => violation(WorkflowRule.CHECKOUT_NO_CREDENTIALS, s.where, 'set persist-credentials: false'));
}

function jobTimeouts(jobs: readonly Job[]): WorkflowViolation[] {
  return jobs
    .filter((job) => job.body.uses === undefined && job.body['timeout-minutes'] === undefined)
    .map((job) => violation(WorkflowRule.JOB_TIMEOUT, job.where, 'set timeout-minutes'));
}

function jobsOf(workflow: Mapping): Job[] {
  return Object.entries(asMapping(workflow.jobs)).map(([id, value]) => {
    const body = asMapping(value);
    const steps = Array.isArray(body.steps) ? body.steps : [];
    return {
      id,
      where: `jobs.${id}`,
      body,
      steps: steps.map((raw, i) => {
        const step = asMapping(raw);
        return {
          where: `jobs.${id}.steps[${i}]`,
          ...(typeof step.uses === 'string' ? { uses: step.uses } : {}),
          ...(typeof step.run === 'string' ? { run: step.run } : {}),
          with: asMapping(step.with),
        };
      }),
    };
  });
}

function stepsUsing(jobs: readonly Job[], action: string): Step[] {
  return jobs.flatMap((job) => job.steps.filter((s) => actionName(s.uses) === action));
}

/** `owner/repo` of `owner/repo[/path]@ref`, lower case. */
function actionName(uses: string | undefined): string | undefined {
  return uses?.split('@')[0]?.split('/').slice(0, 2).join('/').toLowerCase();
}

/** The entries of an upload or cache `path:` (one per line; `!` exclusions dropped). */
function pathsOf(value: unknown): string[] {
  return String(value ?? '')
    .split('\n')
    .map((p) => p.trim())
    .filter((p) => p !== '' && !p.startsWith('!'));
}

function asMapping(value: unknown): Mapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Mapping) : {};
}

function violation(rule: WorkflowRule, where: string, message: string): WorkflowViolation {
  return { rule, where, message };
}
