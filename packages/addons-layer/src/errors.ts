import type { InputIssue } from '@kitt/flag-config';

/**
 * An addons stack configuration the addons layer cannot build. Shaped like an
 * `InputIssue` so the CLI prints it like a `kitt check` finding.
 */
export class AddonsLayerError extends Error implements InputIssue {
  /** Stable, e.g. `CELL_UNKNOWN`, `PLAN_MISMATCH`, `DNS_IP_OUTSIDE_SERVICE_CIDR`. */
  readonly code: string;
  readonly file: string;
  readonly path: string;
  readonly received?: unknown;
  readonly expected?: string;

  constructor(issue: Omit<InputIssue, 'line'>) {
    super(issue.message);
    this.name = 'AddonsLayerError';
    this.code = issue.code;
    this.file = issue.file;
    this.path = issue.path;
    this.received = issue.received;
    this.expected = issue.expected;
  }
}
