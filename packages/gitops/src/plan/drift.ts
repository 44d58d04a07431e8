/**
 * Drift that matters: objects changed outside Terraform in a way this plan depends on. Terraform 1.2 (plan
 * format 1.1) added `relevant_attributes` for this; before it, every drift counts, as Terraform then showed it.
 */
import type { PlanDocument, RawResourceChange, RelevantAttribute } from './plan-document';
import { isPlainObject, ownValue } from '../json/own-properties';
import { jsonEqual } from './redact';

function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value;
  for (const step of path) {
    if (Array.isArray(current) && typeof step === 'number') current = current[step];
    else if (isPlainObject(current) && typeof step === 'string') current = ownValue(current, step);
    else return undefined;
  }
  return current;
}

function hasRelevantAttributes(doc: PlanDocument): boolean {
  const [major, minor] = doc.formatVersion.split('.').map(Number);
  return (major ?? 0) > 1 || ((major ?? 0) === 1 && (minor ?? 0) >= 1);
}

function isRelevant(drift: RawResourceChange, relevant: readonly RelevantAttribute[]): boolean {
  if (drift.change.actions.includes('delete')) return true; // an object gone outside Terraform always matters
  const addresses = new Set([drift.address, drift.previousAddress]);
  return relevant.some(
    (r) =>
      addresses.has(r.resource) &&
      !jsonEqual(valueAt(drift.change.before, r.attribute), valueAt(drift.change.after, r.attribute)),
  );
}

/** The drift entries worth a reviewer's attention (no-op entries, e.g. refresh-only moves, are not drift). */
export function relevantDrift(doc: PlanDocument): RawResourceChange[] {
  const changed = doc.resourceDrift.filter((d) => !(d.change.actions.length === 1 && d.change.actions[0] === 'no-op'));
  if (doc.relevantAttributes === undefined && !hasRelevantAttributes(doc)) return changed;
  const relevant = doc.relevantAttributes ?? [];
  return changed.filter((d) => isRelevant(d, relevant));
}
