import type { NetworkIssue } from './types';

/**
 * Thrown by `planNetwork` when the input has problems. Carries every issue
 * (not just the first) so the CLI can print them all and exit 1 without a
 * stack trace.
 */
export class NetworkPlanError extends Error {
  /** Stable code of the error as a whole; each issue carries its own. */
  readonly code = 'NETWORK_INVALID';

  constructor(readonly issues: NetworkIssue[]) {
    super(
      `The network input has ${issues.length} issue${issues.length === 1 ? '' : 's'}:\n` +
        issues.map((issue) => `  ${issue.path}: ${issue.message} [${issue.code}]`).join('\n'),
    );
    this.name = 'NetworkPlanError';
  }
}

/** Every code `validateNetwork` can report. Stable: tools and docs match on them. */
export const NETWORK_ISSUE_CODES = [
  'CIDR_INVALID',
  'CIDR_NOT_CANONICAL',
  'VPC_NOT_SLASH16',
  'ZONES_EMPTY',
  'TOO_MANY_ZONES',
  'ZONE_DUPLICATE',
  'TOPOLOGY_INVALID',
  'MULTI_AZ_NEEDS_THREE_ZONES',
  'CELL_SLOT_INVALID',
  'CELL_SLOT_TAKEN',
  'CELL_NAME_DUPLICATE',
  'CELL_ZONE_MISSING',
  'CELL_ZONE_UNKNOWN',
  'CELL_ZONE_ON_MULTI_AZ',
  'POD_CIDR_OVERLAP',
  'POD_CIDR_TOO_SMALL',
  'NODE_POD_PREFIX_INVALID',
  'MAX_PODS_INVALID',
  'CONTROL_PLANE_NODES_INVALID',
  'RESERVED_OVERLAP',
] as const;

export type NetworkIssueCode = (typeof NETWORK_ISSUE_CODES)[number];
