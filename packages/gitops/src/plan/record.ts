/**
 * The plan record: what one PR's plan run found, per stack, and the `summary.json` file shape (`StackResult`)
 * the runner writes per stack and `kitt render` reads back. Types and pure constructors only.
 */
import { fingerprintDocument } from './fingerprint';
import { readPlanDocument } from './plan-document';
import type { StackResult } from './stack-result';
import { summarizeDocument, type PlanMeta } from './summary';

/**
 * - `changes`: planned, something to apply.
 * - `no-changes`: planned, nothing to apply.
 * - `unchanged-config`: not planned; its synthesized config is the same as base's.
 * - `waits`: not planned yet; an upstream stack must be applied first.
 * - `preview`: not planned; terraform was not run (`kitt plan --preview`, e.g. on a laptop).
 * - `error`: planning failed (see `error`).
 */
export const STACK_STATUSES = ['changes', 'no-changes', 'unchanged-config', 'waits', 'preview', 'error'] as const;

export type StackStatus = (typeof STACK_STATUSES)[number];

/** One stack's entry in the record: its `summary.json` without the run's fields. */
export type StackRecord = Omit<StackResult, 'kind' | 'version' | 'headSha' | 'baseSha' | 'runId' | 'networkDiagram'>;

/** A new FLAG's network plan as the allocator draws it. */
export interface NetworkDiagram {
  readonly flagId: string;
  /** Mermaid source (without the code fence). */
  readonly mermaid: string;
  /** The capacity table, as Markdown. */
  readonly capacityTable: string;
}

/** Everything one plan comment shows. */
export interface PlanRecord {
  /** PR head commit. */
  readonly headSha: string;
  /** PR base commit. @default not shown */
  readonly baseSha?: string;
  /** GitHub Actions run id, to find the job summary and artifacts. @default not shown */
  readonly runId?: string;
  readonly stacks: readonly StackRecord[];
  /** Network plans of FLAGs that this change creates. @default none */
  readonly networkDiagrams?: readonly NetworkDiagram[];
}

export const STACK_RESULT_KIND = 'kitt-stack-result';

export type { StackResult };

/** A stack result for a planned stack, from its parsed `terraform show -json` output. */
export function stackResultFromPlan(
  planJson: unknown,
  meta: PlanMeta,
  extra: Partial<Pick<StackResult, 'configHash' | 'headSha' | 'baseSha' | 'runId' | 'networkDiagram'>> = {},
): StackResult {
  const doc = readPlanDocument(planJson);
  const summary = summarizeDocument(doc, meta);
  const fingerprint = fingerprintDocument(doc);
  const status: StackStatus = summary.errored ? 'error' : summary.hasChanges ? 'changes' : 'no-changes';
  return {
    kind: STACK_RESULT_KIND,
    version: 1,
    ...meta,
    status,
    summary,
    fingerprint,
    ...(summary.errored ? { error: 'Terraform reported the plan as errored: it is incomplete.' } : {}),
    ...extra,
  };
}

function firstDefined<T>(values: readonly (T | undefined)[]): T | undefined {
  return values.find((v) => v !== undefined);
}

/**
 * Gathers stack results into one record. Commits and run id come from `overrides` or, failing that, from the
 * first result that has them.
 */
export function buildPlanRecord(
  results: readonly StackResult[],
  overrides: { readonly headSha?: string; readonly baseSha?: string; readonly runId?: string } = {},
): PlanRecord {
  const baseSha = overrides.baseSha ?? firstDefined(results.map((r) => r.baseSha));
  const runId = overrides.runId ?? firstDefined(results.map((r) => r.runId));
  const networkDiagrams = results.flatMap((r) => (r.networkDiagram ? [{ flagId: r.flagId, ...r.networkDiagram }] : []));
  return {
    headSha: overrides.headSha ?? firstDefined(results.map((r) => r.headSha)) ?? 'unknown',
    ...(baseSha !== undefined ? { baseSha } : {}),
    ...(runId !== undefined ? { runId } : {}),
    stacks: results.map((r) => {
      // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the record keeps only per-stack fields
      const { kind, version, headSha, baseSha: _b, runId: _r, networkDiagram, ...stack } = r;
      return stack;
    }),
    ...(networkDiagrams.length > 0 ? { networkDiagrams } : {}),
  };
}
