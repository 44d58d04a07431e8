import { isPlainObject, setOwn } from './own-properties';

/**
 * JSON with object keys sorted at every depth: equal values give equal text, different values different text.
 * Plan fingerprints and config hashes are taken of it, so its output must never change.
 * The replacer hands `JSON.stringify` a key-sorted copy of each object, its keys defined as own properties: a
 * plain assignment of the key `__proto__` would set the copy's prototype instead, and the key would vanish from
 * the text. Plan values reach it depth-checked (`PLAN_TOO_DEEP`), so native recursion is safe and fast.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) => {
    if (!isPlainObject(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) setOwn(sorted, k, v[k]);
    return sorted;
  });
}
