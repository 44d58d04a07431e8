/**
 * A plan's fingerprint: SHA-256 of its normalized resource and output changes. The apply on merge re-plans and
 * must get the same fingerprint as the reviewed record, so it depends only on what would change (actions,
 * addresses, before/after values) and never on commit ids, timestamps, Terraform's version or key order.
 * Sensitive and unknown parts are masked, not hashed: a hash of a short secret printed in a public comment could
 * be brute-forced.
 */
import { createHash } from 'node:crypto';
import { readPlanDocument, type PlanDocument, type RawResourceChange } from './plan-document';
import { canonicalJson } from '../json/canonical-json';
import { SENSITIVE, redactValue, unionMask } from './redact';

function isChange(rc: RawResourceChange): boolean {
  const noOp = rc.change.actions.length === 1 && rc.change.actions[0] === 'no-op';
  return (
    !noOp ||
    rc.change.importing !== undefined ||
    (rc.previousAddress !== undefined && rc.previousAddress !== rc.address)
  );
}

function normalizeResource(rc: RawResourceChange): Record<string, unknown> {
  const { change } = rc;
  const sensitive = unionMask(change.beforeSensitive, change.afterSensitive);
  return {
    address: rc.address,
    previousAddress: rc.previousAddress ?? null,
    deposed: rc.deposed ?? null,
    actions: change.actions,
    importing: change.importing ? (change.importing.id ?? '') : null,
    before: redactValue(change.before, sensitive),
    after: redactValue(change.after, sensitive, change.afterUnknown),
  };
}

/** Code-unit order: the same on every machine (`localeCompare` is not). */
const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The normalized changes a fingerprint is taken of (exported for tests and for explaining a mismatch). */
export function normalizedChanges(doc: PlanDocument): {
  resources: Record<string, unknown>[];
  outputs: Record<string, unknown>[];
} {
  const resources = doc.resourceChanges
    .filter(isChange)
    .map((rc) => ({ key: `${rc.address}\u0000${rc.deposed ?? ''}`, value: normalizeResource(rc) }))
    .sort((a, b) => byKey(a.key, b.key))
    .map(({ value }) => value);
  const outputs = doc.outputChanges
    .filter((o) => !(o.change.actions.length === 1 && o.change.actions[0] === 'no-op'))
    .map((o) => ({
      name: o.name,
      actions: o.change.actions,
      before: o.sensitive ? SENSITIVE : redactValue(o.change.before, o.change.beforeSensitive),
      after: o.sensitive ? SENSITIVE : redactValue(o.change.after, o.change.afterSensitive, o.change.afterUnknown),
    }))
    .sort((a, b) => byKey(a.name, b.name));
  return { resources, outputs };
}

/** SHA-256 (lowercase hex) of a checked plan's normalized changes. */
export function fingerprintDocument(doc: PlanDocument): string {
  return createHash('sha256')
    .update(canonicalJson({ v: 1, ...normalizedChanges(doc) }))
    .digest('hex');
}

/** SHA-256 (lowercase hex) of a parsed `terraform show -json` plan's normalized changes. */
export function fingerprintPlan(planJson: unknown): string {
  return fingerprintDocument(readPlanDocument(planJson));
}
