/**
 * A cap on how deeply plan values nest. The summary, redaction and the renderer walk values recursively, and a
 * plan nested thousands of levels deep (hand-made: no provider schema nests like that) would run them out of
 * stack with a trace instead of an answer. The check itself is iterative.
 */
import { PlanFormatError } from './errors';
import { nestingExceeds } from './redact';

/** Most levels of nested objects and lists a value may have. Real plans stay under ten. */
export const MAX_VALUE_NESTING = 200;

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
