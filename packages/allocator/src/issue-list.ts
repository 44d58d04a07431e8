import type { NetworkIssueCode } from './errors';
import type { NetworkIssue } from './types';

/** Collects issues in the order found; `add` keeps codes to the stable list. */
export class IssueList {
  readonly issues: NetworkIssue[] = [];

  add(code: NetworkIssueCode, path: string, message: string, received?: unknown, expected?: string): void {
    this.issues.push({
      code,
      path,
      message,
      ...(received === undefined ? {} : { received }),
      ...(expected === undefined ? {} : { expected }),
    });
  }
}
