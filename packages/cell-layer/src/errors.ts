import type { InputIssue } from '@kitt/flag-config';

/**
 * A cell stack configuration the cell layer cannot build. Shaped like an
 * `InputIssue` so the CLI prints it like a `kitt check` finding.
 */
export class CellLayerError extends Error implements InputIssue {
  /** Stable, e.g. `CELL_UNKNOWN`, `PLAN_MISMATCH`, `FLAG_OUTPUT_MISSING`. */
  readonly code: string;
  readonly file: string;
  readonly path: string;
  readonly received?: unknown;
  readonly expected?: string;

  constructor(issue: Omit<InputIssue, 'line'>) {
    super(issue.message);
    this.name = 'CellLayerError';
    this.code = issue.code;
    this.file = issue.file;
    this.path = issue.path;
    this.received = issue.received;
    this.expected = issue.expected;
  }
}
