/**
 * Parsed JSON read and written through own properties only. Keys are data (a tag may be named `__proto__` or
 * `constructor`): reading one must never reach the prototype, and writing one must never set it.
 */

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `object[key]` if `object` has it as its own property, else undefined. */
export function ownValue(object: Readonly<Record<string, unknown>> | null | undefined, key: string): unknown {
  return object != null && Object.hasOwn(object, key) ? object[key] : undefined;
}

/** Sets an own property; plain assignment of the key `__proto__` would set the prototype and drop the key. */
export function setOwn<T>(object: Record<string, T>, key: string, value: T): void {
  // `__proto__` is the one accessor a plain object inherits; every other key assigns as it defines (and faster).
  if (key === '__proto__')
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}
