/**
 * `terraform apply <planfile>`: applies exactly the saved plan whose fingerprint was compared, nothing re-planned
 * in between (Terraform refuses a saved plan whose state has moved on: "Saved plan is stale").
 */
import { runProcess } from '../terraform/process';
import { terraformEnv } from '../terraform/run-stack';
import { capStepOutput } from '../terraform/step-output';

type Env = Readonly<Record<string, string | undefined>>;

export interface ApplyArgsOptions {
  /** How long to wait for the state lock. @default '5m' */
  readonly lockTimeout?: string;
}

/** The argument vector of one saved plan's apply. Pure, so a test can pin it. */
export function applyArgs(planFile: string, options: ApplyArgsOptions = {}): readonly string[] {
  return ['apply', '-input=false', '-no-color', `-lock-timeout=${options.lockTimeout ?? '5m'}`, planFile];
}

export interface SavedPlanApply {
  readonly dir: string;
  readonly planFile: string;
  readonly binary: string;
  readonly env: Env;
}

export type ApplyRun = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** Applies the saved plan; a failure is an answer with terraform's stderr (cut), never a throw. */
export async function applySavedPlan(options: SavedPlanApply): Promise<ApplyRun> {
  const args = applyArgs(options.planFile);
  const result = await runProcess(options.binary, args, { cwd: options.dir, env: terraformEnv(options.env) });
  if (result.exitCode === 0) return { ok: true };
  const how = result.startError
    ? `could not start: ${result.startError}`
    : result.signal
      ? `was killed by ${result.signal}`
      : `exited with code ${result.exitCode}`;
  const stderr = capStepOutput(result.stderr).trim();
  return { ok: false, message: `terraform apply ${how}${stderr ? `\n\n${stderr}` : ''}` };
}

/** `terraform version -json`'s version, or 'unknown' (the apply record says so rather than failing). */
export async function terraformVersion(binary: string, env: Env, cwd: string): Promise<string> {
  const result = await runProcess(binary, ['version', '-json'], { cwd, env: terraformEnv(env) });
  try {
    const version = (JSON.parse(result.stdout) as { terraform_version?: unknown }).terraform_version;
    return typeof version === 'string' && /^[\w.+-]{1,40}$/.test(version) ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}
