import { runProcess, type ProcessResult } from './process';
import { readShowOutput } from './show-output';
import { capStepOutput } from './step-output';

type Env = Readonly<Record<string, string | undefined>>;

/** The three Terraform commands a plan takes, in order. */
export type TerraformStep = 'init' | 'plan' | 'show';

/** How `terraform plan -detailed-exitcode` ended. */
export type PlanExitReading = 'no-changes' | 'changes' | 'error';

/** `plan -detailed-exitcode`: 0 no changes, 2 changes, anything else (1, a signal) an error. */
export function readPlanExitCode(exitCode: number | null): PlanExitReading {
  if (exitCode === 0) return 'no-changes';
  if (exitCode === 2) return 'changes';
  return 'error';
}

export interface RunStackOptions {
  /** The stack's working directory (holds `cdk.tf.json`); `init` writes `.terraform/` here. */
  readonly dir: string;
  /** Absolute path where `plan -out` saves the plan. */
  readonly planFile: string;
  /** Executable to run (`terraform`, `tofu`, or a path). */
  readonly binary: string;
  /** The caller's environment; automation variables are added on top. */
  readonly env: Env;
  /** Take the state lock (see `TerraformArgsOptions.lock`). @default false: pull request and drift plans do not */
  readonly lock?: boolean;
  /** With `lock`: how long to wait for the state lock. @default '5m' */
  readonly lockTimeout?: string;
  /** Plan the destruction of everything in the stack's state (`plan -destroy`), for a stack removed at head. @default false */
  readonly destroy?: boolean;
  /** Values of the root module's variables (`plan -var name=value`). @default none */
  readonly variables?: Readonly<Record<string, string>>;
}

/**
 * A Terraform command that did not succeed: how it ended and what it said on stderr. Its stdout is kept (cut)
 * for `init` and `plan` only: `show -json` prints the plan, every sensitive value in clear, so its stdout is
 * plan data and is only counted.
 */
export interface StepFailure {
  readonly step: TerraformStep;
  /** The arguments after the binary, as run. */
  readonly args: readonly string[];
  /** `null` when killed by a signal or never started. */
  readonly exitCode: number | null;
  /** The signal that killed it. @default absent */
  readonly signal?: string;
  /** Set when kitt itself refused what the step printed (`PLAN_NOT_JSON`). @default absent */
  readonly code?: 'PLAN_NOT_JSON';
  /** One line for people: what failed and how. */
  readonly message: string;
  /** stdout cut to `STEP_OUTPUT_MAX_CHARS`; always '' for `show` (plan data, never error text). */
  readonly stdout: string;
  /** Bytes printed on stdout, all of them, shown or not. */
  readonly stdoutBytes: number;
  /** stderr cut to `STEP_OUTPUT_MAX_CHARS`. */
  readonly stderr: string;
}

export type StackRun =
  | {
      readonly outcome: 'planned';
      readonly hasChanges: boolean;
      /** `terraform show -json`'s JSON object (without anything printed after it). Holds sensitive values: keep it in the job. */
      readonly planJsonText: string;
      readonly planJson: unknown;
    }
  | { readonly outcome: 'failed'; readonly failure: StepFailure };

/** The environment terraform runs with: the caller's, plus no prompts, no update checks. */
export function terraformEnv(env: Env): Env {
  return { ...env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', TF_INPUT: '0' };
}

/** How one stack's plan is made. */
export interface TerraformArgsOptions {
  /**
   * Take the state lock while planning. Pull request and drift plans do not (`-lock=false`): a plan persists
   * nothing, and the apply plans again under the lock, so the plan role needs no write to the state bucket and
   * can neither remove an apply's lock nor leave a stale one. `init` takes no lock to begin with (it locks only to
   * migrate state between backends, which a fresh checkout never does), so it gets no lock flag.
   * @default false
   */
  readonly lock?: boolean;
  /** With `lock`: how long to wait for the state lock. @default '5m' */
  readonly lockTimeout?: string;
  /** `plan -destroy`: plan deleting every resource in the state. @default false */
  readonly destroy?: boolean;
  /**
   * `-var name=value` for each, sorted by name: values only this run knows (an addons stack's API URL through a
   * local tunnel). A saved plan keeps them, so `apply <planfile>` takes none. @default none
   */
  readonly variables?: Readonly<Record<string, string>>;
}

/** The argument vectors of one stack's plan, in order. Pure, so a test can pin them. */
export function terraformArgs(
  planFile: string,
  options: TerraformArgsOptions = {},
): Readonly<Record<TerraformStep, readonly string[]>> {
  const { lock = false, lockTimeout = '5m', destroy = false, variables = {} } = options;
  const vars = Object.keys(variables)
    .sort()
    .flatMap((name) => ['-var', `${name}=${variables[name]}`]);
  return {
    init: ['init', '-input=false', '-no-color'],
    plan: [
      'plan',
      '-input=false',
      '-no-color',
      ...(destroy ? ['-destroy'] : []),
      '-detailed-exitcode',
      ...(lock ? [`-lock-timeout=${lockTimeout}`] : ['-lock=false']),
      ...vars,
      `-out=${planFile}`,
    ],
    show: ['show', '-json', planFile],
  };
}

function failure(
  step: TerraformStep,
  args: readonly string[],
  result: ProcessResult,
  why: string,
  code?: StepFailure['code'],
): StepFailure {
  return {
    step,
    args,
    exitCode: result.exitCode,
    ...(result.signal ? { signal: result.signal } : {}),
    ...(code ? { code } : {}),
    message: `terraform ${step} ${why}`,
    stdout: step === 'show' ? '' : capStepOutput(result.stdout),
    stdoutBytes: Buffer.byteLength(result.stdout),
    stderr: capStepOutput(result.stderr),
  };
}

function howItEnded(result: ProcessResult): string {
  if (result.startError) return `could not start: ${result.startError}`;
  if (result.signal) return `was killed by ${result.signal}`;
  return `exited with code ${result.exitCode}`;
}

/**
 * Plans one stack: `init`, `plan [-destroy] -detailed-exitcode -out`, `show -json`.
 * Stops at the first failing step and returns how it ended and its stderr (see `StepFailure`); never throws
 * for a Terraform failure (that is an answer, reported per stack).
 */
export async function runStack(options: RunStackOptions): Promise<StackRun> {
  const env = terraformEnv(options.env);
  const args = terraformArgs(options.planFile, options);
  const run = (step: TerraformStep) => runProcess(options.binary, args[step], { cwd: options.dir, env });

  const init = await run('init');
  if (init.exitCode !== 0) return { outcome: 'failed', failure: failure('init', args.init, init, howItEnded(init)) };

  const plan = await run('plan');
  const reading = readPlanExitCode(plan.exitCode);
  if (reading === 'error') return { outcome: 'failed', failure: failure('plan', args.plan, plan, howItEnded(plan)) };

  const show = await run('show');
  if (show.exitCode !== 0) return { outcome: 'failed', failure: failure('show', args.show, show, howItEnded(show)) };
  const read = readShowOutput(show.stdout);
  if (!read.ok) {
    const why = `printed no complete JSON plan [${read.code}]: ${read.reason}`;
    return { outcome: 'failed', failure: failure('show', args.show, show, why, read.code) };
  }
  return {
    outcome: 'planned',
    hasChanges: reading === 'changes',
    planJsonText: read.planJsonText,
    planJson: read.planJson,
  };
}
