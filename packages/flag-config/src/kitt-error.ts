import type { InputIssue } from './types';

/**
 * Why a command failed, as far as the person running it is concerned:
 * - `input`: what they gave us is wrong (a field, a file, an option value); they fix it;
 * - `external`: something outside kitt failed or refused (terraform, git, GitHub, the file system).
 * Both exit 1; a usage error (exit 2) is the CLI's own and never a `KittError`.
 */
export type FailureKind = 'input' | 'external';

export interface KittErrorInit {
  /** Stable code, `UPPER_SNAKE`: tools and docs match on it. */
  readonly code: string;
  readonly kind: FailureKind;
  readonly message: string;
  /** Every problem found, where the failure is a list of input issues. @default [] */
  readonly issues?: readonly InputIssue[];
  readonly cause?: unknown;
}

/**
 * The one shape of every error kitt raises on purpose. The core throws it;
 * only the CLI's edge catches and prints it. Any other error is a bug and
 * keeps its stack trace.
 */
export class KittError extends Error {
  readonly code: string;
  readonly kind: FailureKind;
  readonly issues: readonly InputIssue[];

  constructor(init: KittErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.code = init.code;
    this.kind = init.kind;
    this.issues = init.issues ?? [];
  }
}

/**
 * A FLAG (or its stack configuration) that a layer cannot build into its
 * stack: one input issue, printed like a `kitt check` finding, without a
 * stack trace. Each layer names its own subclass.
 */
export class StackInputError extends KittError implements InputIssue {
  readonly file: string;
  readonly path: string;
  readonly received?: unknown;
  readonly expected?: string;

  constructor(issue: Omit<InputIssue, 'line'>) {
    super({ code: issue.code, kind: 'input', message: issue.message, issues: [issue] });
    this.file = issue.file;
    this.path = issue.path;
    this.received = issue.received;
    this.expected = issue.expected;
  }
}

export function isKittError(error: unknown): error is KittError {
  return error instanceof KittError;
}
