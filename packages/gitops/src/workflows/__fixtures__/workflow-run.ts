/**
 * A small GitHub Actions runner for the repository's own workflows, so that their shell glue runs in tests: jobs in
 * `needs` order, each matrix entry in turn; each `run:` step as the runner runs it (`bash --noprofile --norc -eo
 * pipefail` on a script file, in the workspace), with the `GITHUB_OUTPUT`, `GITHUB_ENV`, `GITHUB_PATH` and
 * `GITHUB_STEP_SUMMARY` files, workflow, job and step `env:` evaluated (`expressions.ts`), `if:` and
 * `continue-on-error`, step outputs, job outputs and `needs`, and `strategy.matrix` (its `include`). The `uses:`
 * steps are stood in for (`stand-ins.ts`); one with no stand-in fails the run. What it does not model: services,
 * containers, composite actions, reusable workflows, `concurrency` and `environment` (which only gate or order).
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { condition, interpolate, toText, truthy, type ExpressionContext, type Value } from './expressions';
import { standIn, type StandInContext } from './stand-ins';

type Mapping = Record<string, unknown>;
type Result = 'success' | 'failure' | 'skipped';

export interface GitHubRunInfo {
  readonly sha: string;
  readonly ref: string;
  /** `owner/repo`. */
  readonly repository: string;
  readonly runId: number;
  /** What `${{ github.token }}` gives. */
  readonly token: string;
  /** GITHUB_API_URL: the fake GitHub. */
  readonly apiUrl: string;
  /** @default 'https://github.com' */
  readonly serverUrl?: string;
  /** @default 'octocat' */
  readonly actor?: string;
}

export interface WorkflowRunRequest {
  /** The workflow file. */
  readonly workflow: string;
  /** GITHUB_WORKSPACE: the repository the checkout stand-in moves to the run's commit. */
  readonly workspace: string;
  readonly event: { readonly name: string; readonly payload: Mapping };
  readonly github: GitHubRunInfo;
  /** The runner machine's environment (PATH with the stand-in terraform, HOME, …). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Artifacts as directories: `<artifacts>/<run-id>/<name>/`. */
  readonly artifacts: string;
  /** Where each job's RUNNER_TEMP and step files are made. */
  readonly tempRoot: string;
  readonly secrets?: Readonly<Record<string, string>>;
  readonly vars?: Readonly<Record<string, string>>;
}

export interface StepRun {
  readonly name: string;
  readonly id?: string;
  readonly outcome: Result;
  readonly conclusion: Result;
  readonly outputs: Readonly<Record<string, string>>;
  readonly stdout: string;
  readonly stderr: string;
  readonly summary: string;
}

export interface JobRun {
  readonly id: string;
  readonly name: string;
  readonly matrix?: Value;
  readonly result: Result;
  readonly outputs: Readonly<Record<string, string>>;
  readonly steps: readonly StepRun[];
  /** The job's step summaries, joined. */
  readonly summary: string;
  /** Roles the configure-aws-credentials stand-in was asked to assume. */
  readonly roles: readonly string[];
  readonly runnerTemp: string;
}

export interface WorkflowRun {
  readonly jobs: readonly JobRun[];
  readonly conclusion: Result;
  /** The runs of one job (one per matrix entry). */
  job(id: string): readonly JobRun[];
  /** Every step's output, for a failing test's message. */
  log(): string;
}

function asMapping(value: unknown): Mapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Mapping) : {};
}

/** `name=value` lines and `name<<DELIMITER` blocks, as the runner reads GITHUB_OUTPUT and GITHUB_ENV. */
export function parseCommandFile(text: string, file: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2] as string, i + 1);
      if (end === -1) throw new Error(`${file}: no closing '${heredoc[2]}' for '${heredoc[1]}'`);
      values[heredoc[1] as string] = lines.slice(i + 1, end).join('\n');
      i = end;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`${file}: a line that is neither name=value nor name<<DELIMITER: ${line}`);
    values[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return values;
}

/** Jobs in an order that runs each after the jobs it needs (file order otherwise). */
function jobOrder(jobs: Mapping): string[] {
  const order: string[] = [];
  const visit = (id: string, path: string[]) => {
    if (order.includes(id)) return;
    if (path.includes(id)) throw new Error(`jobs need each other: ${[...path, id].join(' → ')}`);
    if (!(id in jobs)) throw new Error(`a job needs '${id}', which the workflow does not have`);
    for (const need of needsOf(jobs[id])) visit(need, [...path, id]);
    order.push(id);
  };
  for (const id of Object.keys(jobs)) visit(id, []);
  return order;
}

function needsOf(job: unknown): string[] {
  const needs = asMapping(job).needs;
  if (needs === undefined) return [];
  return Array.isArray(needs) ? needs.map(String) : [String(needs)];
}

/**
 * Runs the workflow's jobs for the event; never throws for a failing step (the run says so), only for bad input.
 * Steps run as child processes without blocking this process, so a fake GitHub served from it keeps answering.
 */
export async function runWorkflow(request: WorkflowRunRequest): Promise<WorkflowRun> {
  const workflow = asMapping(parse(readFileSync(request.workflow, 'utf8')));
  const jobs = asMapping(workflow.jobs);
  const eventPath = join(mkdtempSync(join(request.tempRoot, 'event-')), 'event.json');
  writeFileSync(eventPath, JSON.stringify(request.event.payload));
  const github: Value = {
    event_name: request.event.name,
    event: request.event.payload as Value,
    sha: request.github.sha,
    ref: request.github.ref,
    repository: request.github.repository,
    repository_owner: request.github.repository.split('/')[0] ?? '',
    run_id: String(request.github.runId),
    run_attempt: '1',
    run_number: '1',
    token: request.github.token,
    api_url: request.github.apiUrl,
    server_url: request.github.serverUrl ?? 'https://github.com',
    actor: request.github.actor ?? 'octocat',
    workspace: request.workspace,
    workflow: String(workflow.name ?? ''),
  };
  const base = {
    github,
    secrets: { GITHUB_TOKEN: request.github.token, ...request.secrets } as Value,
    vars: { ...request.vars } as Value,
    inputs: asMapping(request.event.payload.inputs) as Value,
  };
  const done = new Map<string, JobRun[]>();
  const runs: JobRun[] = [];
  for (const id of jobOrder(jobs)) {
    const job = asMapping(jobs[id]);
    const needs: Record<string, Value> = {};
    for (const need of needsOf(job)) {
      const ran = done.get(need) ?? [];
      needs[need] = { result: aggregate(ran), outputs: ran.at(-1)?.outputs ?? {} };
    }
    const needResults = Object.values(needs).map((n) => String(asMapping(n).result));
    const status = needResults.every((r) => r === 'success')
      ? 'success'
      : needResults.includes('failure')
        ? 'failure'
        : 'skipped';
    const jobCtx: ExpressionContext = { contexts: { ...base, needs }, status };
    const skipped = (matrix?: Value): JobRun => ({
      id,
      name: toText(interpolate(String(job.name ?? id), { ...jobCtx, contexts: { ...jobCtx.contexts, matrix: matrix ?? null } })),
      result: 'skipped',
      outputs: {},
      steps: [],
      summary: '',
      roles: [],
      runnerTemp: '',
    });
    if (!condition(job.if as string | undefined, jobCtx)) {
      done.set(id, [skipped()]);
      runs.push(skipped());
      continue;
    }
    const ran: JobRun[] = [];
    for (const matrix of matrixEntries(job, jobCtx)) {
      const ctx = { ...jobCtx, contexts: { ...jobCtx.contexts, matrix } };
      ran.push(await runJob(request, workflow, id, job, ctx, eventPath, matrix));
    }
    done.set(id, ran);
    runs.push(...ran);
  }
  return {
    jobs: runs,
    conclusion: runs.some((r) => r.result === 'failure') ? 'failure' : 'success',
    job: (id) => runs.filter((r) => r.id === id),
    log: () =>
      runs
        .flatMap((r) => [
          `## job ${r.name}: ${r.result}`,
          ...r.steps.map((s) => `### ${s.name}: ${s.outcome}\n${s.stdout}${s.stderr}`),
        ])
        .join('\n'),
  };
}

function aggregate(runs: readonly JobRun[]): Result {
  if (runs.some((r) => r.result === 'failure')) return 'failure';
  if (runs.length > 0 && runs.every((r) => r.result === 'skipped')) return 'skipped';
  return 'success';
}

/** The matrix entries of a job: its `strategy.matrix` `include` list, or one run without a matrix. */
function matrixEntries(job: Mapping, ctx: ExpressionContext): (Value | null)[] {
  const raw = asMapping(job.strategy).matrix;
  if (raw === undefined) return [null];
  const matrix = typeof raw === 'string' ? interpolate(raw, ctx) : (raw as Value);
  const keys = Object.keys(asMapping(matrix));
  if (keys.some((k) => k !== 'include'))
    throw new Error(`only a matrix of 'include' entries is supported, got keys ${keys.join(', ')}`);
  const include = asMapping(matrix).include;
  if (!Array.isArray(include)) throw new Error(`strategy.matrix.include is not a list: ${JSON.stringify(matrix)}`);
  if (include.length === 0) throw new Error('strategy.matrix has no entries (GitHub fails such a job)');
  return include as Value[];
}

/** Expressions in every string of a mapping (`env:`, `with:`). */
function evaluateAll(values: unknown, ctx: ExpressionContext): Record<string, string> {
  return Object.fromEntries(
    Object.entries(asMapping(values)).map(([k, v]) => [k, typeof v === 'string' ? toText(interpolate(v, ctx)) : String(v)]),
  );
}

async function runJob(
  request: WorkflowRunRequest,
  workflow: Mapping,
  id: string,
  job: Mapping,
  jobCtx: ExpressionContext,
  eventPath: string,
  matrix: Value | null,
): Promise<JobRun> {
  const runnerTemp = mkdtempSync(join(request.tempRoot, `runner-temp-${id}-`));
  const runner = { temp: runnerTemp, os: 'Linux', arch: 'X64', name: 'kitt-test-runner' };
  const withRunner: ExpressionContext = { ...jobCtx, contexts: { ...jobCtx.contexts, runner } };
  const workflowEnv = evaluateAll(workflow.env, withRunner);
  const jobEnv = evaluateAll(job.env, { ...withRunner, contexts: { ...withRunner.contexts, env: workflowEnv } });
  const defaults = asMapping(asMapping(job.defaults).run ?? asMapping(workflow.defaults).run);
  const githubEnv: Record<string, string> = {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_SHA: request.github.sha,
    GITHUB_REF: request.github.ref,
    GITHUB_REPOSITORY: request.github.repository,
    GITHUB_REPOSITORY_OWNER: request.github.repository.split('/')[0] ?? '',
    GITHUB_RUN_ID: String(request.github.runId),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_EVENT_NAME: request.event.name,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_WORKSPACE: request.workspace,
    GITHUB_API_URL: request.github.apiUrl,
    GITHUB_SERVER_URL: request.github.serverUrl ?? 'https://github.com',
    GITHUB_ACTOR: request.github.actor ?? 'octocat',
    GITHUB_JOB: id,
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    // GitHub gives a job an OIDC token only with `id-token: write`.
    ...(asMapping(job.permissions)['id-token'] === 'write'
      ? { ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/oidc-stand-in', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'stand-in' }
      : {}),
  };
  const added: Record<string, string> = {}; // GITHUB_ENV
  const paths: string[] = []; // GITHUB_PATH
  const steps: Record<string, Value> = {};
  const runs: StepRun[] = [];
  const roles: string[] = [];
  let failed = false;
  const rawSteps = Array.isArray(job.steps) ? job.steps : [];
  for (const [index, raw] of rawSteps.entries()) {
    const step = asMapping(raw);
    const env = { ...workflowEnv, ...jobEnv, ...added };
    const ctx: ExpressionContext = {
      contexts: {
        ...withRunner.contexts,
        env,
        steps,
        job: { status: failed ? 'failure' : 'success' },
        strategy: { 'fail-fast': false, 'job-index': 0, 'job-total': 1 },
      },
      status: failed ? 'failure' : 'success',
    };
    const name = String(step.name ?? step.uses ?? String(step.run ?? '').split('\n')[0]);
    const stepId = typeof step.id === 'string' ? step.id : undefined;
    if (!condition(step.if as string | boolean | undefined, ctx)) {
      runs.push({ name, ...(stepId ? { id: stepId } : {}), outcome: 'skipped', conclusion: 'skipped', outputs: {}, stdout: '', stderr: '', summary: '' });
      if (stepId) steps[stepId] = { outcome: 'skipped', conclusion: 'skipped', outputs: {} };
      continue;
    }
    // Where a run that hangs is: `<tempRoot>/progress.log`.
    appendFileSync(join(request.tempRoot, 'progress.log'), `${new Date().toISOString()} ${id}: ${name}\n`);
    const stepEnv = { ...env, ...evaluateAll(step.env, ctx) };
    const files = mkdtempSync(join(request.tempRoot, `step-${id}-${index}-`));
    const commandFiles = {
      GITHUB_OUTPUT: join(files, 'output'),
      GITHUB_ENV: join(files, 'env'),
      GITHUB_PATH: join(files, 'path'),
      GITHUB_STEP_SUMMARY: join(files, 'summary.md'),
    };
    for (const file of Object.values(commandFiles)) writeFileSync(file, '');
    const processEnv: Record<string, string> = {
      ...definedOnly(request.env),
      ...githubEnv,
      ...stepEnv,
      ...commandFiles,
      PATH: [...paths.slice().reverse(), request.env.PATH ?? ''].join(delimiter),
    };
    let ok: boolean;
    let stdout = '';
    let stderr = '';
    if (typeof step.run === 'string') {
      const shell = String(step.shell ?? defaults.shell ?? 'bash');
      if (shell !== 'bash') throw new Error(`${id}.steps[${index}]: only shell bash is supported, got '${shell}'`);
      if (step.run.includes('${{')) throw new Error(`${id}.steps[${index}]: \${{ }} inside run is not run here`);
      const script = join(files, 'script.sh');
      writeFileSync(script, step.run);
      const cwd = resolve(request.workspace, String(step['working-directory'] ?? defaults['working-directory'] ?? '.'));
      const result = await bash(script, cwd, processEnv);
      ({ stdout, stderr } = result);
      ok = result.status === 0;
    } else if (typeof step.uses === 'string') {
      const standInCtx: StandInContext = {
        with: evaluateAll(step.with, ctx),
        env: processEnv,
        workspace: request.workspace,
        artifacts: request.artifacts,
        runId: request.github.runId,
        sha: request.github.sha,
        jobPermissions: asMapping(job.permissions),
        commandFiles,
      };
      const outcome = standIn(step.uses, standInCtx);
      stdout = outcome.log;
      ok = outcome.ok;
      if (outcome.role) roles.push(outcome.role);
    } else {
      throw new Error(`${id}.steps[${index}] has neither run nor uses`);
    }
    const outputs = parseCommandFile(readFileSync(commandFiles.GITHUB_OUTPUT, 'utf8'), 'GITHUB_OUTPUT');
    Object.assign(added, parseCommandFile(readFileSync(commandFiles.GITHUB_ENV, 'utf8'), 'GITHUB_ENV'));
    paths.push(...readFileSync(commandFiles.GITHUB_PATH, 'utf8').split('\n').filter(Boolean));
    const continueOnError = step['continue-on-error'];
    const tolerated =
      continueOnError === true || (typeof continueOnError === 'string' && truthy(interpolate(continueOnError, ctx)));
    const outcome: Result = ok ? 'success' : 'failure';
    const conclusion: Result = ok || tolerated ? 'success' : 'failure';
    if (conclusion === 'failure') failed = true;
    const summary = readFileSync(commandFiles.GITHUB_STEP_SUMMARY, 'utf8');
    runs.push({ name, ...(stepId ? { id: stepId } : {}), outcome, conclusion, outputs, stdout, stderr, summary });
    if (stepId) steps[stepId] = { outcome, conclusion, outputs };
  }
  const finalCtx: ExpressionContext = {
    contexts: { ...withRunner.contexts, steps, env: { ...workflowEnv, ...jobEnv, ...added } },
    status: failed ? 'failure' : 'success',
  };
  mkdirSync(runnerTemp, { recursive: true });
  return {
    id,
    name: toText(interpolate(String(job.name ?? id), finalCtx)),
    ...(matrix !== null ? { matrix } : {}),
    result: failed ? 'failure' : 'success',
    outputs: evaluateAll(job.outputs, finalCtx),
    steps: runs,
    summary: runs.map((r) => r.summary).join(''),
    roles,
    runnerTemp,
  };
}

/** `bash --noprofile --norc -eo pipefail SCRIPT`, as GitHub runs a bash step; killed after ten minutes. */
function bash(script: string, cwd: string, env: Record<string, string>) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolveRun) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10 * 60 * 1000);
    child.on('error', (error) => (stderr += `\n${error.message}`));
    child.on('close', (status) => {
      clearTimeout(timer);
      resolveRun({ status, stdout, stderr });
    });
  });
}

function definedOnly(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}
