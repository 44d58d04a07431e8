/**
 * Which attributes a change touches, found by walking `before` and `after` together down to the leaves. The walk
 * stops at a sensitive or unknown node (its inside is not ours to show, and a map's keys may be secret too) and
 * at a change of shape (list to object, object to string); it never copies a sensitive value out.
 */
import { isPlainObject, ownValue } from '../json/own-properties';
import {
  KNOWN_AFTER_APPLY,
  SENSITIVE,
  childMask,
  jsonEqual,
  redactValue,
  unionMask,
  type RedactedValue,
} from './redact';

/** One changed leaf (or stopped-at node). A side that is absent was not set (null). */
export interface AttributeChange {
  /** Terraform-style path: `tags["Name"]`, `ingress[0].cidr_blocks`. */
  readonly path: string;
  readonly before?: RedactedValue;
  readonly after?: RedactedValue;
}

export interface DiffInput {
  readonly before: unknown;
  readonly after: unknown;
  readonly beforeSensitive: unknown;
  readonly afterSensitive: unknown;
  readonly afterUnknown: unknown;
}

/** Upper bound on the attributes kept per resource, so one huge map cannot swamp a summary. @default 1000 */
export const MAX_ATTRIBUTES_PER_RESOURCE = 1000;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Appends one step to a path the way Terraform prints it. */
export function joinPath(parent: string, step: string | number): string {
  if (typeof step === 'number') return `${parent}[${step}]`;
  if (IDENTIFIER.test(step)) return parent === '' ? step : `${parent}.${step}`;
  return `${parent}[${JSON.stringify(step)}]`;
}

export function formatPath(steps: readonly (string | number)[]): string {
  return steps.reduce<string>((path, step) => joinPath(path, step), '');
}

const isNull = (v: unknown): boolean => v === null || v === undefined;

function leaf(path: string, before: RedactedValue | undefined, after: RedactedValue | undefined): AttributeChange {
  return {
    path: path === '' ? '(value)' : path,
    ...(before !== undefined ? { before } : {}),
    ...(after !== undefined ? { after } : {}),
  };
}

class Walk {
  readonly changes: AttributeChange[] = [];
  omitted = 0;

  push(change: AttributeChange): void {
    if (this.changes.length < MAX_ATTRIBUTES_PER_RESOURCE) this.changes.push(change);
    else this.omitted++;
  }

  visit(before: unknown, after: unknown, sensitive: unknown, unknown: unknown, path: string): void {
    if (unknown === true) {
      this.push(leaf(path, isNull(before) ? undefined : redactValue(before, sensitive), KNOWN_AFTER_APPLY));
      return;
    }
    if (sensitive === true) {
      if (!jsonEqual(before, after))
        this.push(leaf(path, isNull(before) ? undefined : SENSITIVE, isNull(after) ? undefined : SENSITIVE));
      return;
    }
    const arrays = (isNull(before) || Array.isArray(before)) && (isNull(after) || Array.isArray(after));
    const objects = (isNull(before) || isPlainObject(before)) && (isNull(after) || isPlainObject(after));
    if (arrays && (Array.isArray(before) || Array.isArray(after) || Array.isArray(unknown))) {
      this.visitList(before as unknown[] | null, after as unknown[] | null, sensitive, unknown, path);
    } else if (objects && (isPlainObject(before) || isPlainObject(after) || isPlainObject(unknown))) {
      this.visitObject(
        before as Record<string, unknown> | null,
        after as Record<string, unknown> | null,
        sensitive,
        unknown,
        path,
      );
    } else if (!jsonEqual(before, after)) {
      // A leaf, or a change of shape: show both sides whole (redacted).
      this.push(
        leaf(
          path,
          isNull(before) ? undefined : redactValue(before, sensitive),
          isNull(after) ? undefined : redactValue(after, sensitive, unknown),
        ),
      );
    }
  }

  private visitList(
    before: unknown[] | null,
    after: unknown[] | null,
    sensitive: unknown,
    unknown: unknown,
    path: string,
  ): void {
    const length = Math.max(before?.length ?? 0, after?.length ?? 0, Array.isArray(unknown) ? unknown.length : 0);
    if (length === 0) {
      if (isNull(before) !== isNull(after)) this.push(leaf(path, before ? [] : undefined, after ? [] : undefined));
      return;
    }
    for (let i = 0; i < length; i++) {
      this.visit(before?.[i], after?.[i], childMask(sensitive, i), childMask(unknown, i), joinPath(path, i));
    }
  }

  private visitObject(
    before: Record<string, unknown> | null,
    after: Record<string, unknown> | null,
    sensitive: unknown,
    unknown: unknown,
    path: string,
  ): void {
    const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
    if (isPlainObject(unknown)) for (const key of Object.keys(unknown)) if (unknown[key]) keys.add(key);
    if (keys.size === 0) {
      if (isNull(before) !== isNull(after)) this.push(leaf(path, before ? {} : undefined, after ? {} : undefined));
      return;
    }
    for (const key of [...keys].sort()) {
      const [b, a] = [ownValue(before, key), ownValue(after, key)];
      this.visit(b, a, childMask(sensitive, key), childMask(unknown, key), joinPath(path, key));
    }
  }
}

/**
 * Every changed attribute of one change, redacted. A create lists what it sets, a delete what it removes.
 * @returns the changes (at most `MAX_ATTRIBUTES_PER_RESOURCE`) and how many more were left out
 */
export function diffAttributes(input: DiffInput): { readonly changes: AttributeChange[]; readonly omitted: number } {
  const walk = new Walk();
  const sensitive = unionMask(input.beforeSensitive, input.afterSensitive);
  walk.visit(input.before, input.after, sensitive, input.afterUnknown, '');
  return { changes: walk.changes, omitted: walk.omitted };
}
