import { PlanFormatError } from '../plan/errors';
import { STACK_RESULT_KIND, stackResultFromPlan, type StackResult } from '../plan/record';
import type { StepFailure } from './run-stack';
import type { StackToPlan } from '../stacks/stack-order';

/**
 * A failure outside Terraform: the synthesized config could not be read (`config`), or what the stack's
 * providers talk to could not be reached (`access`: an addons stack's Kubernetes API, through its tunnel).
 */
export interface ConfigFailure {
  readonly step: 'config' | 'access';
  readonly message: string;
}

/** What happened to one stack in this run, before it becomes a `StackResult`. */
export type StackOutcome =
  | { readonly status: 'planned'; /** `terraform show -json`, parsed. */ readonly planJson: unknown }
  | {
      /** An upstream stack changes in this run: planned at apply time, after `waitsFor` is applied. */
      readonly status: 'waits';
      readonly waitsFor: string;
      /** Addresses its synthesized config declares. Not a Terraform plan. */
      readonly configResources: readonly string[];
    }
  | {
      /** `--preview`: Terraform was not run. */ readonly status: 'preview';
      readonly configResources: readonly string[];
    }
  | { readonly status: 'error'; readonly failure: StepFailure | ConfigFailure };

/** What `--preview` skipped, said plainly in every preview `summary.json`. */
export const PREVIEW_SKIPPED =
  'terraform init, plan and show were not run (--preview): these resources are read from the synthesized config, not a Terraform plan';

/**
 * A stack result written in preview mode: status `preview` with the config's
 * resources, and `preview` saying what was skipped, so it can never pass for a
 * plan.
 */
export interface PreviewStackResult extends StackResult {
  readonly preview: { readonly skipped: string };
}

/** Commits and run this plan belongs to, copied into every result. */
export interface PlanProvenance {
  /** PR head commit. @default absent */
  readonly headSha?: string;
  /** PR base commit. @default absent */
  readonly baseSha?: string;
  /** GitHub Actions run id. @default absent */
  readonly runId?: string;
}

/**
 * Terraform's own words for a failed step: the message, then stderr and stdout as the failure kept them (cut).
 * A failed `show` kept no stdout (it is the plan, secrets in clear): only its size is said.
 */
export function failureText(failure: StepFailure | ConfigFailure): string {
  if (!('args' in failure)) return failure.message; // config or access: kitt's own words
  const parts = [`${failure.message} (${['terraform', ...failure.args].join(' ')})`];
  if (failure.stderr.trim()) parts.push(failure.stderr.trimEnd());
  if (failure.step !== 'show' && failure.stdout.trim()) parts.push(failure.stdout.trimEnd());
  else if (failure.step === 'show' && failure.stdoutBytes > 0)
    parts.push(`(stdout: ${failure.stdoutBytes} bytes of plan data, not shown: it holds sensitive values in clear)`);
  return parts.join('\n\n');
}

/**
 * The `summary.json` of one stack: the redacted plan summary and its
 * fingerprint for a planned stack, the config's resources for a waiting one,
 * Terraform's output for a failed one. Pure. A plan JSON this code cannot read
 * (an unknown format version) becomes an error result, not an exception.
 */
export function stackResultOf(
  stack: Pick<StackToPlan, 'flagId' | 'stack' | 'layer'>,
  outcome: StackOutcome,
  configHash: string | undefined,
  provenance: PlanProvenance,
): StackResult {
  const meta = { flagId: stack.flagId, stack: stack.stack, layer: stack.layer };
  const extra = { ...(configHash ? { configHash } : {}), ...provenance };
  const base = { kind: STACK_RESULT_KIND, version: 1, ...meta } as const;
  switch (outcome.status) {
    case 'planned':
      try {
        return stackResultFromPlan(outcome.planJson, meta, extra);
      } catch (error) {
        if (!(error instanceof PlanFormatError)) throw error;
        const where = error.path ? ` at ${error.path}` : '';
        return {
          ...base,
          status: 'error',
          error: `terraform show -json printed a plan kitt cannot read${where}: ${error.message}`,
          ...extra,
        };
      }
    case 'waits':
      return {
        ...base,
        status: 'waits',
        waitsFor: outcome.waitsFor,
        previewResources: [...outcome.configResources],
        ...extra,
      };
    case 'preview': {
      const preview: PreviewStackResult = {
        ...base,
        status: 'preview',
        previewResources: [...outcome.configResources],
        preview: { skipped: PREVIEW_SKIPPED },
        ...extra,
      };
      return preview;
    }
    case 'error':
      return { ...base, status: 'error', error: failureText(outcome.failure), ...extra };
  }
}
