/**
 * A plan's fingerprint: SHA-256 of its normalized resource and output changes. The apply on merge re-plans and
 * must get the same fingerprint as the reviewed record, so it depends only on what would change (actions,
 * addresses, before/after values) and never on commit ids, timestamps, Terraform's version or key order.
 * Sensitive and unknown parts are masked, not hashed: a hash of a short secret printed in a public comment could
 * be brute-forced.
 */
import { createHash } from 'node:crypto';
import { readPlanDocument, type PlanDocument, type RawResourceChange } from './plan-document';
import { SENSITIVE, isPlainObject, redactValue, unionMask } from './redact';

/** A key JavaScript enumerates first, in numeric order, on any ordinary object: an array index (`0` … `2³²−2`). */
function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9]\d{0,9})$/.test(key) && Number(key) < 4_294_967_295;
}

/**
 * Object keys in canonical order: array-index keys numerically, then the others by code unit. It is the order a
 * key-sorted copy of the object enumerates in, which is what this function's first version hashed; keeping it
 * keeps every fingerprint and config hash made since.
 */
function canonicalKeys(object: Readonly<Record<string, unknown>>): string[] {
  const keys = Object.keys(object).sort();
  return [...keys.filter(isArrayIndex).sort((a, b) => Number(a) - Number(b)), ...keys.filter((k) => !isArrayIndex(k))];
}

/** Skipped in an object and `null` in a list, as `JSON.stringify` does. */
const isUnwritable = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/**
 * JSON with object keys sorted at every depth: equal values give equal text, different values different text.
 * The text is written directly, never through a key-sorted copy: assigning the key `__proto__` to a plain object
 * sets its prototype instead, and the key would vanish from the text. Iterative, so any depth costs no stack.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  // Work left, last first: a value to write, or text to emit as it is.
  const work: ({ readonly text: string } | { readonly value: unknown })[] = [{ value: value ?? null }];
  for (let item = work.pop(); item !== undefined; item = work.pop()) {
    if ('text' in item) {
      out.push(item.text);
      continue;
    }
    let v = item.value;
    if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function')
      v = (v as { toJSON: () => unknown }).toJSON();
    const parts: ({ readonly text: string } | { readonly value: unknown })[] = [];
    if (Array.isArray(v)) {
      parts.push({ text: '[' });
      v.forEach((element: unknown, i) => {
        if (i > 0) parts.push({ text: ',' });
        parts.push({ value: isUnwritable(element) ? null : element });
      });
      parts.push({ text: ']' });
    } else if (isPlainObject(v)) {
      const object = v;
      parts.push({ text: '{' });
      canonicalKeys(object)
        .filter((k) => !isUnwritable(object[k]))
        .forEach((k, i) => parts.push({ text: `${i > 0 ? ',' : ''}${JSON.stringify(k)}:` }, { value: object[k] }));
      parts.push({ text: '}' });
    } else {
      out.push(typeof v === 'number' && !Number.isFinite(v) ? 'null' : (JSON.stringify(v) ?? 'null'));
      continue;
    }
    for (let i = parts.length - 1; i >= 0; i--) work.push(parts[i] as (typeof parts)[number]);
  }
  return out.join('');
}

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
