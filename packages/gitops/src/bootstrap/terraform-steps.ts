import { runProcess } from '../terraform/process';
import { terraformEnv } from '../terraform/run-stack';
import { capStepOutput } from '../terraform/step-output';
import { BootstrapRunErrorCode, bootstrapRunError } from './errors';

type Env = Readonly<Record<string, string | undefined>>;

/** The saved plan's file name in the stack directory (ignored by git as `*.tfplan`). */
export const BOOTSTRAP_PLAN_FILE = 'bootstrap.tfplan';

export interface BootstrapStep {
  readonly name: 'init' | 'plan' | 'apply';
  readonly args: readonly string[];
}

/**
 * The terraform steps of a bootstrap apply, in order. Pure, so a test can pin them. `migrate`: the stack's
 * backend changed (local → the state bucket), and init copies the existing state across without asking.
 */
export function bootstrapSteps(options: { readonly migrate: boolean }): readonly BootstrapStep[] {
  return [
    {
      name: 'init',
      args: ['init', '-input=false', '-no-color', ...(options.migrate ? ['-migrate-state', '-force-copy'] : [])],
    },
    { name: 'plan', args: ['plan', '-input=false', '-no-color', '-lock-timeout=5m', `-out=${BOOTSTRAP_PLAN_FILE}`] },
    { name: 'apply', args: ['apply', '-input=false', '-no-color', '-lock-timeout=5m', BOOTSTRAP_PLAN_FILE] },
  ];
}

/** Runs the steps in `dir`, printing terraform's output as each ends; the first failure stops the rest. */
export async function runBootstrapSteps(
  steps: readonly BootstrapStep[],
  options: { readonly dir: string; readonly binary: string; readonly env: Env; readonly print: (text: string) => void },
): Promise<void> {
  for (const step of steps) {
    const result = await runProcess(options.binary, step.args, { cwd: options.dir, env: terraformEnv(options.env) });
    if (result.stdout) options.print(result.stdout.endsWith('\n') ? result.stdout : `${result.stdout}\n`);
    if (result.exitCode !== 0) {
      const how = result.startError
        ? `could not start: ${result.startError}`
        : result.signal
          ? `was killed by ${result.signal}`
          : `exited with code ${result.exitCode}`;
      const stderr = capStepOutput(result.stderr).trim();
      throw bootstrapRunError(
        BootstrapRunErrorCode.TERRAFORM_FAILED,
        `terraform ${step.name} ${how} in ${options.dir}${stderr ? `\n\n${stderr}` : ''}`,
      );
    }
  }
}
