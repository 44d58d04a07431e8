import type { InputIssue } from '@kitt/flag-config';

/**
 * A FLAG (or its stack configuration) that the flag layer cannot build.
 * Shaped like an `InputIssue` so the CLI can print it the same way as a
 * `kitt check` finding, without a stack trace.
 */
export class FlagLayerError extends Error implements InputIssue {
  /** Stable, e.g. `NACL_RULE_LIMIT`, `PLAN_MISMATCH`. */
  readonly code: string;
  readonly file: string;
  readonly path: string;
  readonly received?: unknown;
  readonly expected?: string;

  constructor(issue: Omit<InputIssue, 'line'>) {
    super(issue.message);
    this.name = 'FlagLayerError';
    this.code = issue.code;
    this.file = issue.file;
    this.path = issue.path;
    this.received = issue.received;
    this.expected = issue.expected;
  }
}
