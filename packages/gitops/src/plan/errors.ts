/** Stable codes for input that is not a plan this code can read. */
export type PlanErrorCode =
  | 'PLAN_NOT_JSON'
  | 'PLAN_NOT_OBJECT'
  | 'PLAN_FORMAT_VERSION_MISSING'
  | 'PLAN_FORMAT_VERSION_UNSUPPORTED'
  | 'PLAN_FIELD_INVALID'
  | 'PLAN_UNKNOWN_ACTION'
  | 'PLAN_TOO_DEEP'
  | 'STACK_RESULT_INVALID';

/**
 * A plan (or stack result) that cannot be read. Thrown by the pure core; the CLI turns it into an input error
 * with the file name, once.
 */
export class PlanFormatError extends Error {
  constructor(
    readonly code: PlanErrorCode,
    message: string,
    /** Field path inside the document, e.g. `resource_changes[3].change.actions`; '' for the whole document. */
    readonly path: string = '',
    readonly received?: unknown,
    /** What would be right. */
    readonly expected?: string,
  ) {
    super(message);
    this.name = 'PlanFormatError';
  }
}
