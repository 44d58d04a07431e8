import { KittError, type InputIssue } from '@kitt/flag-config';

/**
 * A FLAG (or its stack configuration) that the flag layer cannot build.
 * Shaped like an `InputIssue` so the CLI can print it the same way as a
 * `kitt check` finding, without a stack trace.
 */
export class FlagLayerError extends KittError implements InputIssue {
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
