/**
 * A cap on how deeply plan values nest. The summary, redaction and the renderer walk values recursively, and a
 * plan nested thousands of levels deep (hand-made: no provider schema nests like that) would run them out of
 * stack with a trace instead of an answer. The check itself is iterative.
 */
import { PlanFormatError } from './errors';

/** Most levels of nested objects and lists a value may have. Real plans stay under ten. */
export const MAX_VALUE_NESTING = 200;

/** True when `value` has more than `limit` levels of objects and lists (a scalar has none). */
export function nestingExceeds(value: unknown, limit: number): boolean {
  const work: [unknown, number][] = [[value, 0]];
  for (let item = work.pop(); item !== undefined; item = work.pop()) {
    const [v, depth] = item;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') work.push([child, depth + 1]);
    }
  }
  return false;
}

/** Throws `PLAN_TOO_DEEP` naming `path` when `value` nests more than `MAX_VALUE_NESTING` levels. */
export function checkNesting(value: unknown, path: string): void {
  if (!nestingExceeds(value, MAX_VALUE_NESTING)) return;
  throw new PlanFormatError(
    'PLAN_TOO_DEEP',
    `${path} nests more than ${MAX_VALUE_NESTING} levels of objects and lists; no Terraform value does, so it is refused`,
    path,
    undefined,
    `at most ${MAX_VALUE_NESTING} levels of nested objects and lists`,
  );
}
