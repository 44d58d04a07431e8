/**
 * Masks for what must never reach a pull request comment. GitHub does not mask API-posted comments, so every
 * value that leaves the plan goes through here: anything marked in `before_sensitive`/`after_sensitive` (a `true`
 * at any depth covers everything below it) becomes `(sensitive)`, anything marked in `after_unknown` becomes
 * `(known after apply)`.
 */

import { isPlainObject, ownValue, setOwn } from '../json/own-properties';

/** Shown instead of a sensitive value. */
export const SENSITIVE = '(sensitive)';
/** Shown instead of a value Terraform only learns during apply. */
export const KNOWN_AFTER_APPLY = '(known after apply)';

/** A JSON value with its sensitive and unknown parts replaced by the two markers above. */
export type RedactedValue =
  | null
  | boolean
  | number
  | string
  | readonly RedactedValue[]
  | { readonly [key: string]: RedactedValue };

/** The mask for one child of a value: a `true` covers all children. */
export function childMask(mask: unknown, key: string | number): unknown {
  if (mask === true) return true;
  if (Array.isArray(mask)) return typeof key === 'number' ? mask[key] : undefined;
  if (isPlainObject(mask)) return ownValue(mask, String(key));
  return undefined;
}

/** Sensitive in either mask: a value that was or becomes sensitive stays hidden on both sides. */
export function unionMask(a: unknown, b: unknown): unknown {
  if (a === true || b === true) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    const [x, y] = [Array.isArray(a) ? a : [], Array.isArray(b) ? b : []];
    return Array.from({ length: Math.max(x.length, y.length) }, (_, i) => unionMask(x[i], y[i]));
  }
  if (isPlainObject(a) || isPlainObject(b)) {
    const [x, y] = [isPlainObject(a) ? a : {}, isPlainObject(b) ? b : {}];
    const merged: Record<string, unknown> = {};
    for (const key of new Set([...Object.keys(x), ...Object.keys(y)]))
      setOwn(merged, key, unionMask(ownValue(x, key), ownValue(y, key)));
    return merged;
  }
  return undefined;
}

/** True when the mask marks anything at all (so a container must be walked, not copied). */
export function maskMarksAnything(mask: unknown): boolean {
  if (mask === true) return true;
  if (Array.isArray(mask)) return mask.some(maskMarksAnything);
  if (isPlainObject(mask)) return Object.values(mask).some(maskMarksAnything);
  return false;
}

/**
 * A copy of `value` with sensitive parts as `(sensitive)` and unknown parts as `(known after apply)`. Unknown
 * attributes are left out of `after` by Terraform, so keys present only in the unknown mask are added.
 */
export function redactValue(value: unknown, sensitive: unknown, unknown?: unknown): RedactedValue {
  if (unknown === true) return KNOWN_AFTER_APPLY;
  if (sensitive === true) return SENSITIVE;
  // Nothing marked below here: the parsed JSON value is already what we want (the common case, and the fast one).
  if ((sensitive === undefined || sensitive === false) && (unknown === undefined || unknown === false))
    return (value ?? null) as RedactedValue;
  if (Array.isArray(value) || Array.isArray(unknown)) {
    const items = Array.isArray(value) ? value : [];
    const length = Math.max(items.length, Array.isArray(unknown) ? unknown.length : 0);
    return Array.from({ length }, (_, i) => redactValue(items[i], childMask(sensitive, i), childMask(unknown, i)));
  }
  if (isPlainObject(value) || (value == null && isPlainObject(unknown) && maskMarksAnything(unknown))) {
    const object = isPlainObject(value) ? value : {};
    const out: Record<string, RedactedValue> = {};
    for (const key of Object.keys(object))
      setOwn(out, key, redactValue(object[key], childMask(sensitive, key), childMask(unknown, key)));
    if (isPlainObject(unknown)) {
      for (const key of Object.keys(unknown)) {
        if (!Object.hasOwn(out, key) && maskMarksAnything(unknown[key]))
          setOwn(out, key, redactValue(undefined, childMask(sensitive, key), unknown[key]));
      }
    }
    return out;
  }
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return null;
}

/** True when `value` has more than `limit` levels of objects and lists (a scalar has none). Iterative: any depth is safe. */
export function nestingExceeds(value: unknown, limit: number): boolean {
  // Two parallel stacks (containers, and their depth): no allocation per node.
  const containers: object[] = [];
  const depths: number[] = [];
  if (value !== null && typeof value === 'object') {
    containers.push(value);
    depths.push(1);
  }
  while (containers.length > 0) {
    const v = containers.pop() as object;
    const depth = depths.pop() as number;
    if (depth > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') {
        containers.push(child as object);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

/** Structural equality of two JSON values (`undefined` and `null` are the same: both mean "not set"). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null) return a == null && b == null;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (!jsonEqual(ownValue(a, key), ownValue(b, key))) return false;
    return true;
  }
  return false;
}
