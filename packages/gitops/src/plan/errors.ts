import { KittError } from '@kitt/flag-config';
import { nestingExceeds } from './redact';

/** Stable codes for input that is not a plan this code can read. */
export type PlanErrorCode =
  | 'PLAN_NOT_JSON'
  | 'PLAN_NOT_OBJECT'
  | 'PLAN_FORMAT_VERSION_MISSING'
  | 'PLAN_FORMAT_VERSION_UNSUPPORTED'
  | 'PLAN_FIELD_INVALID'
  | 'PLAN_UNKNOWN_ACTION'
  | 'PLAN_TOO_DEEP'
  | 'STACK_RESULT_INVALID'
  | 'RECORD_PARTS_INVALID';

/** Characters of a received value echoed in an error. */
export const MAX_RECEIVED_CHARS = 200;

/**
 * What an error may echo of a value it refused: short values as they are; a long string cut to
 * `MAX_RECEIVED_CHARS` with its length; a list or object whose JSON is longer (or that nests deeply) only
 * described. A plan field can hold megabytes, and an echo is printed, logged and maybe posted.
 */
export function receivedPreview(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.length <= MAX_RECEIVED_CHARS
      ? value
      : `${value.slice(0, MAX_RECEIVED_CHARS)}… (${value.length} characters)`;
  }
  if (value === null || typeof value !== 'object') return value;
  const size = Array.isArray(value)
    ? `a list of ${value.length} item(s)`
    : `an object of ${Object.keys(value).length} key(s)`;
  if (nestingExceeds(value, 8)) return `(${size}, nested deeply)`;
  const json = JSON.stringify(value);
  return json.length <= MAX_RECEIVED_CHARS ? value : `(${size}, ${json.length} characters as JSON)`;
}

/**
 * A plan (or stack result) that cannot be read. Thrown by the pure core; the CLI turns it into an input error
 * with the file name, once.
 */
export class PlanFormatError extends KittError {
  declare readonly code: PlanErrorCode;
  /** The refused value, as `receivedPreview` shows it (never more than a few hundred characters). */
  readonly received?: unknown;

  constructor(
    code: PlanErrorCode,
    message: string,
    /** Field path inside the document, e.g. `resource_changes[3].change.actions`; '' for the whole document. */
    readonly path: string = '',
    received?: unknown,
    /** What would be right. */
    readonly expected?: string,
  ) {
    super({ code, kind: 'input', message });
    if (received !== undefined) this.received = receivedPreview(received);
  }
}
