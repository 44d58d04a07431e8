/**
 * `terraform show -json` output → `PlanSummary`: the typed, redacted facts a reviewer needs, written per stack as
 * `summary.json`. Pure. Values in a summary are redacted (see `redact.ts`), so it may leave the job; the plan JSON
 * it came from may not.
 */
import type { Layer } from '@kitt/flag-config';
import { classifyActions, countActions, type ActionCounts, type PlanAction } from './actions';
import { diffAttributes, formatPath, type AttributeChange } from './attribute-diff';
import { relevantDrift } from './drift';
import { readPlanDocument, type PlanDocument, type RawOutputChange, type RawResourceChange } from './plan-document';
import { KNOWN_AFTER_APPLY, SENSITIVE, redactValue, type RedactedValue } from './redact';

export interface PlanMeta {
  /** `<customer>-<environment>-<region>`. */
  readonly flagId: string;
  /** Stack name, e.g. `acme-prod-us-east-1-cell-a`. */
  readonly stack: string;
  readonly layer: Layer;
}

/** One resource instance that the plan changes (or imports, moves, forgets, reads). */
export interface ResourceChangeSummary {
  readonly address: string;
  /** Where a `moved` block moves it from. */
  readonly previousAddress?: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly providerName?: string;
  /** Deposed object key, for leftovers of an earlier create-before-destroy. */
  readonly deposed?: string;
  readonly action: PlanAction;
  /** Terraform's `action_reason`, e.g. `replace_because_cannot_update`. */
  readonly actionReason?: string;
  /** Attributes that force the replacement (`replace_paths`), as paths. */
  readonly replacePaths: readonly string[];
  /** Present when the resource is imported; `id` is absent for imports by identity. */
  readonly importing?: { readonly id?: string };
  /** Changed attributes, redacted. */
  readonly attributes: readonly AttributeChange[];
  /** Changed attributes left out of `attributes` (past the per-resource limit). @default 0 */
  readonly omittedAttributes?: number;
}

export interface OutputChangeSummary {
  readonly name: string;
  readonly action: PlanAction;
  readonly sensitive: boolean;
  /** Absent when not set before (a new output). */
  readonly before?: RedactedValue;
  /** Absent when removed. */
  readonly after?: RedactedValue;
}

/** What one stack's plan does. JSON-serialisable; written as `summary.json`. */
export interface PlanSummary extends PlanMeta {
  readonly kind: 'kitt-plan-summary';
  /** Version of this shape. */
  readonly version: 1;
  readonly formatVersion: string;
  readonly terraformVersion?: string;
  readonly counts: ActionCounts;
  /** Every resource change except plain no-ops, in plan order. */
  readonly resources: readonly ResourceChangeSummary[];
  /** Changes made outside Terraform that this plan depends on (`relevant_attributes`). */
  readonly drift: readonly ResourceChangeSummary[];
  /** Output changes other than no-ops. */
  readonly outputs: readonly OutputChangeSummary[];
  /** The plan stopped on an error (it is partial). */
  readonly errored: boolean;
  /** The plan covers everything (no deferred parts). Before Terraform 1.8: `!errored`. */
  readonly complete: boolean;
  /** Applying it would do something. Before Terraform 1.8: `!errored && hasChanges`. */
  readonly applyable: boolean;
  /** Something to apply: a resource change other than a read, an import, a move, or an output change. */
  readonly hasChanges: boolean;
}

function isPlainNoOp(rc: RawResourceChange, action: PlanAction): boolean {
  return action === 'no-op' && rc.change.importing === undefined && rc.previousAddress === undefined;
}

function summarizeResource(rc: RawResourceChange, action: PlanAction): ResourceChangeSummary {
  const { changes, omitted } = diffAttributes(rc.change);
  const { importing } = rc.change;
  return {
    address: rc.address,
    ...(rc.previousAddress !== undefined && rc.previousAddress !== rc.address
      ? { previousAddress: rc.previousAddress }
      : {}),
    mode: rc.mode,
    type: rc.type,
    name: rc.name,
    ...(rc.providerName !== undefined ? { providerName: rc.providerName } : {}),
    ...(rc.deposed !== undefined ? { deposed: rc.deposed } : {}),
    action,
    ...(rc.actionReason !== undefined ? { actionReason: rc.actionReason } : {}),
    replacePaths: rc.change.replacePaths.map(formatPath),
    ...(importing !== undefined ? { importing } : {}),
    // A forget leaves the object as it is; listing its attributes would only add noise.
    attributes: action === 'forget' ? [] : changes,
    ...(omitted > 0 && action !== 'forget' ? { omittedAttributes: omitted } : {}),
  };
}

function outputSide(
  value: unknown,
  set: boolean,
  sensitive: boolean,
  mask: unknown,
  unknown?: unknown,
): RedactedValue | undefined {
  if (unknown === true) return KNOWN_AFTER_APPLY;
  if (!set) return undefined;
  return sensitive ? SENSITIVE : redactValue(value, mask, unknown);
}

function summarizeOutput(output: RawOutputChange, action: PlanAction): OutputChangeSummary {
  const { change, sensitive } = output;
  const before = outputSide(change.before, change.before !== null, sensitive, change.beforeSensitive);
  const after = outputSide(change.after, change.after !== null, sensitive, change.afterSensitive, change.afterUnknown);
  return {
    name: output.name,
    action,
    sensitive,
    ...(before !== undefined && action !== 'create' ? { before } : {}),
    ...(after !== undefined && action !== 'delete' ? { after } : {}),
  };
}

/**
 * Summarizes one stack's plan (parsed `terraform show -json` output). Throws `PlanFormatError` for a document
 * that is not a plan, has an unknown major format version, or an action this code does not know.
 */
export function summarizePlan(planJson: unknown, meta: PlanMeta): PlanSummary {
  return summarizeDocument(readPlanDocument(planJson), meta);
}

/** `summarizePlan` of a plan already checked by `readPlanDocument`. */
export function summarizeDocument(doc: PlanDocument, meta: PlanMeta): PlanSummary {
  const classified = doc.resourceChanges.map((rc, i) => ({
    rc,
    action: classifyActions(rc.change.actions, `resource_changes[${i}].change.actions`),
  }));
  const counts = countActions(
    classified.map(({ rc, action }) => ({
      action,
      importing: rc.change.importing,
      previousAddress: rc.previousAddress,
    })),
  );
  const resources = classified
    .filter(({ rc, action }) => !isPlainNoOp(rc, action))
    .map(({ rc, action }) => summarizeResource(rc, action));
  const drift = relevantDrift(doc).map((rc) =>
    summarizeResource(rc, classifyActions(rc.change.actions, `resource_drift[${rc.address}]`)),
  );
  const outputs = doc.outputChanges
    .map((o) => ({ o, action: classifyActions(o.change.actions, `output_changes.${o.name}.actions`) }))
    .filter(({ action }) => action !== 'no-op')
    .map(({ o, action }) => summarizeOutput(o, action));
  const hasChanges = outputs.length > 0 || resources.some((r) => r.action !== 'read');
  return {
    kind: 'kitt-plan-summary',
    version: 1,
    flagId: meta.flagId,
    stack: meta.stack,
    layer: meta.layer,
    formatVersion: doc.formatVersion,
    ...(doc.terraformVersion !== undefined ? { terraformVersion: doc.terraformVersion } : {}),
    counts,
    resources,
    drift,
    outputs,
    errored: doc.errored,
    complete: doc.complete ?? !doc.errored,
    applyable: doc.applyable ?? (!doc.errored && hasChanges),
    hasChanges,
  };
}
