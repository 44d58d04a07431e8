import { KittError } from './kitt-error';
import type { InputIssue } from './types';

/**
 * Stable codes of the problems this package reports. The allocator's codes
 * (`CIDR_NOT_CANONICAL`, `VPC_NOT_SLASH16`, ...) pass through unchanged with the
 * file added, so the set of codes a user can see is this list plus the allocator's.
 */
export const IssueCode = {
  /** The YAML does not parse (line and column in the message). */
  YAML_SYNTAX: 'YAML_SYNTAX',
  /** A mapping has the same key twice. */
  DUPLICATE_KEY: 'DUPLICATE_KEY',
  UNKNOWN_KEY: 'UNKNOWN_KEY',
  MISSING_FIELD: 'MISSING_FIELD',
  INVALID_TYPE: 'INVALID_TYPE',
  /** A value of the right type outside the allowed ones (enum, range). */
  INVALID_VALUE: 'INVALID_VALUE',
  /** customer, environment, cell or environment-map name breaks its pattern. */
  NAME_INVALID: 'NAME_INVALID',
  /** The triple in the file is not the one its directory names (or the file is not at `flags/<c>/<e>/<r>/flag.yaml`). */
  FLAG_PATH_MISMATCH: 'FLAG_PATH_MISMATCH',
  REGION_UNKNOWN: 'REGION_UNKNOWN',
  ZONE_NOT_IN_REGION: 'ZONE_NOT_IN_REGION',
  ACCOUNT_ID_INVALID: 'ACCOUNT_ID_INVALID',
  /** A cell slot other than 1 or 2 (the allocator's code for the same problem). */
  CELL_SLOT_INVALID: 'CELL_SLOT_INVALID',
  /** An IAM role ARN is malformed or names another account than its key in `accounts`. */
  ROLE_ARN_INVALID: 'ROLE_ARN_INVALID',
  /** org.yaml `state.accountId` is not listed under `accounts`. */
  STATE_ACCOUNT_NOT_LISTED: 'STATE_ACCOUNT_NOT_LISTED',
  /** Text that is not an IPv4 CIDR (org.yaml `pool`; the allocator checks the FLAG's own). */
  CIDR_INVALID: 'CIDR_INVALID',
  CIDR_NOT_CANONICAL: 'CIDR_NOT_CANONICAL',
  /** A pool entry too small to hold a FLAG's /16. */
  POOL_TOO_SMALL: 'POOL_TOO_SMALL',
  /** Two files declare the same (customer, environment, region). */
  FLAG_DUPLICATE: 'FLAG_DUPLICATE',
  /** The VPCs of two FLAGs overlap. */
  VPC_OVERLAP: 'VPC_OVERLAP',
  /** A FLAG directory named on the command line has no flag.yaml. */
  FLAG_NOT_FOUND: 'FLAG_NOT_FOUND',
  /** `kitt new` would overwrite an existing FLAG. */
  FLAG_EXISTS: 'FLAG_EXISTS',
  /** `kitt new`: more cells than the grid has slots for. */
  CELL_COUNT_EXCEEDS_GRID: 'CELL_COUNT_EXCEEDS_GRID',
  /** `kitt new`: no /16 of the org pool is free. */
  POOL_EXHAUSTED: 'POOL_EXHAUSTED',
  /** `kitt check --base`: git does not know the ref (or there is no git repository). */
  BASE_REF_INVALID: 'BASE_REF_INVALID',
  STABILITY_ZONE_REMOVED: 'STABILITY_ZONE_REMOVED',
  STABILITY_ZONE_REORDERED: 'STABILITY_ZONE_REORDERED',
  STABILITY_CELL_MOVED: 'STABILITY_CELL_MOVED',
  STABILITY_SLOT_REUSED: 'STABILITY_SLOT_REUSED',
  /** The VPC CIDR changed: every subnet would be destroyed and recreated. */
  STABILITY_VPC_CHANGED: 'STABILITY_VPC_CHANGED',
  /** single-az ↔ multi-az: every cell's subnets would move. */
  STABILITY_TOPOLOGY_CHANGED: 'STABILITY_TOPOLOGY_CHANGED',
  /** `aws.accountId` of an existing FLAG changed: its state would describe resources in another account. */
  STABILITY_ACCOUNT_CHANGED: 'STABILITY_ACCOUNT_CHANGED',
  /** `network.podCidr` or `network.nodePodPrefix` of an existing FLAG changed: running cells cannot follow. */
  STABILITY_POD_NETWORK_CHANGED: 'STABILITY_POD_NETWORK_CHANGED',
  /** `state.bucket`, `state.region` or `state.endpoint` of org.yaml changed: every stack would start from empty state. */
  STABILITY_BACKEND_CHANGED: 'STABILITY_BACKEND_CHANGED',
  /** An account's `planRoleArn` differs from the base commit's: a pull request would choose the role its own plan assumes. */
  STABILITY_PLAN_ROLE_CHANGED: 'STABILITY_PLAN_ROLE_CHANGED',
  /** A FLAG directory (`flags/<c>/<e>/<r>/`) without a regular flag.yaml: its FLAG would silently vanish. */
  FLAG_FILE_MISSING: 'FLAG_FILE_MISSING',
  /** A near miss of `flag.yaml` (`flag.yml`, `Flag.yaml`): not read, so its FLAG would silently vanish. */
  FLAG_FILE_NAME_INVALID: 'FLAG_FILE_NAME_INVALID',
  /** A symbolic link under `flags/`: it could lead outside the repository. */
  SYMLINK_REFUSED: 'SYMLINK_REFUSED',
  /** An input path that is not a regular file (a directory, a device, ...). */
  FILE_NOT_REGULAR: 'FILE_NOT_REGULAR',
  /** An input file over its size cap (checked before it is parsed). */
  FILE_TOO_LARGE: 'FILE_TOO_LARGE',
  /** An input file that is not UTF-8 text (a UTF-16 byte order mark, NUL bytes). */
  FILE_ENCODING: 'FILE_ENCODING',
  /** An input file the file system refuses to read (permissions, ...). */
  FILE_UNREADABLE: 'FILE_UNREADABLE',
  /** org.yaml `state.endpoint` is not an https URL (or http on loopback) of a store. */
  STATE_ENDPOINT_INVALID: 'STATE_ENDPOINT_INVALID',
  /** There is no `flags/org.yaml`: the state backend has no default. */
  ORG_FILE_MISSING: 'ORG_FILE_MISSING',
  /** `aws.accountId` is the placeholder 000000000000, no real account. */
  ACCOUNT_ID_PLACEHOLDER: 'ACCOUNT_ID_PLACEHOLDER',
  /** A VPC outside private address space (RFC 1918, RFC 6598). */
  VPC_NOT_PRIVATE: 'VPC_NOT_PRIVATE',
  /** A VPC outside every range of the org pool. */
  VPC_OUTSIDE_POOL: 'VPC_OUTSIDE_POOL',
  /** An org pool entry outside private address space (RFC 1918, RFC 6598). */
  POOL_NOT_PRIVATE: 'POOL_NOT_PRIVATE',
  /** A path to write to that is not allowed or not usable (`kitt synth --out`, `kitt new`). */
  OUTPUT_PATH_INVALID: 'OUTPUT_PATH_INVALID',
  /** An existing directory kitt would replace, but kitt did not write it. */
  OUTPUT_NOT_KITT: 'OUTPUT_NOT_KITT',
  /** A cell's kubernetesVersion skips a minor version against the base commit: kubeadm upgrades one minor at a time. */
  STABILITY_KUBERNETES_MINOR_SKIPPED: 'STABILITY_KUBERNETES_MINOR_SKIPPED',
  /** A cell's kubernetesVersion goes down against the base commit: kubeadm has no downgrade. */
  STABILITY_KUBERNETES_DOWNGRADE: 'STABILITY_KUBERNETES_DOWNGRADE',
  /** A FLAG has cells but `flags/org.yaml` names no `domain` for their API endpoints. */
  CELL_DOMAIN_MISSING: 'CELL_DOMAIN_MISSING',
  /** A FLAG has cells but `flags/org.yaml` `amis` has nothing for its region. */
  CELL_AMI_MISSING: 'CELL_AMI_MISSING',
  /** An `amis` entry is neither an AMI id nor an SSM parameter name. */
  CELL_AMI_INVALID: 'CELL_AMI_INVALID',
  /** A cell's workerMinSize exceeds its workerMaxSize. */
  CELL_WORKER_SIZE_INVALID: 'CELL_WORKER_SIZE_INVALID',
} as const;

export type IssueCode = (typeof IssueCode)[keyof typeof IssueCode];

/**
 * Bad input: thrown by the core with every issue found (never just the first),
 * caught once by the CLI, which prints `formatIssues(error.issues)` and exits 1
 * without a stack trace.
 */
export class InputError extends KittError {
  constructor(issues: readonly InputIssue[]) {
    super({ code: 'INPUT_INVALID', kind: 'input', message: formatIssues(issues), issues });
  }
}

/** Longest echo of a received value in a message; longer values are cut and their length given. */
export const ECHO_LIMIT = 200;

/**
 * How a received value reads in a message: strings quoted, objects as compact
 * JSON, cut to about ECHO_LIMIT characters with the total length (a 4 MB value
 * is not worth echoing, and may not be ours to echo).
 */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return quoteCapped(value);
  if (Array.isArray(value) && value.length > ECHO_LIMIT) {
    return `${capped(JSON.stringify(value.slice(0, ECHO_LIMIT)) ?? '')} (a list of ${value.length} items)`;
  }
  return capped(JSON.stringify(value) ?? String(value));
}

/** A string quoted as JSON, cut to ECHO_LIMIT characters when longer (with its length). */
export function quoteCapped(text: string): string {
  if (text.length <= ECHO_LIMIT) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, ECHO_LIMIT))}… (${text.length} characters)`;
}

function capped(text: string): string {
  return text.length <= ECHO_LIMIT ? text : `${text.slice(0, ECHO_LIMIT)}… (${text.length} characters)`;
}

/** `file:line path: message (received: X; expected: Y) [CODE]` */
export function formatIssue(issue: InputIssue): string {
  const where = [issue.file || undefined, issue.line].filter((part) => part !== undefined).join(':');
  const location = [where, issue.path].filter((part) => part).join(' ');
  const details = [
    'received' in issue && issue.received !== undefined ? `received: ${formatValue(issue.received)}` : undefined,
    issue.expected !== undefined ? `expected: ${issue.expected}` : undefined,
  ].filter((part) => part !== undefined);
  const suffix = details.length > 0 ? ` (${details.join('; ')})` : '';
  return `${location ? `${location}: ` : ''}${issue.message}${suffix} [${issue.code}]`;
}

/** One line per issue, ordered by file and line (issues without a line keep their place after those with one). */
export function formatIssues(issues: readonly InputIssue[]): string {
  const ordered = issues
    .map((issue, index) => ({ issue, index }))
    .sort(
      (a, b) =>
        compareText(a.issue.file, b.issue.file) ||
        (a.issue.line ?? Number.MAX_SAFE_INTEGER) - (b.issue.line ?? Number.MAX_SAFE_INTEGER) ||
        a.index - b.index,
    );
  return ordered.map(({ issue }) => formatIssue(issue)).join('\n');
}

/** Code-point order: the same on every machine, unlike `localeCompare`. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
