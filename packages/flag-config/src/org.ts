import { canonicalCidr } from '@kitt/allocator';
import { IssueCode, InputError, quoteCapped } from './errors';
import { OrgDocumentSchema, type OrgDocument } from './schema';
import { structuralIssues, type LocalIssue } from './zod-issues';
import { readYaml } from './yaml-source';
import { PRIVATE_EXPECTED, isPrivateCidr } from './private-space';
import { tooLargeText } from './read-input';
import type { InputIssue, OrgConfig } from './types';

import { ORG_FILE } from './naming';

/** Every problem of an org.yaml text; `state` has no default (an empty file lacks it). */
export function analyseOrg(
  text: string,
  file: string = ORG_FILE,
): { readonly org?: OrgConfig; readonly issues: readonly InputIssue[] } {
  const tooLarge = tooLargeText(text, file);
  if (tooLarge) return { issues: [tooLarge] };
  const source = readYaml(text, file);
  if (source.issues.length > 0) return { issues: source.issues };
  const raw = source.value ?? {};
  const parsed = OrgDocumentSchema.safeParse(raw);
  const local = [
    ...structuralIssues(OrgDocumentSchema, raw),
    ...poolIssues(raw),
    ...roleIssues(raw),
    ...stateAccountIssues(raw),
    ...stateEndpointIssues(raw),
  ];
  const issues = local.map((issue): InputIssue => {
    const line = source.lineOf(issue.path);
    return { ...issue, file, ...(line === undefined ? {} : { line }) };
  });
  return issues.length === 0 && parsed.success ? { org: toOrgConfig(parsed.data), issues } : { issues };
}

/** `flags/org.yaml` text → settings with defaults filled in; throws InputError with every issue. */
export function parseOrg(text: string, file: string = ORG_FILE): OrgConfig {
  const { org, issues } = analyseOrg(text, file);
  if (!org) throw new InputError(issues);
  return org;
}

const { shape } = OrgDocumentSchema;

function field(raw: unknown, key: string): unknown {
  return raw !== null && typeof raw === 'object' && !Array.isArray(raw)
    ? (raw as Record<string, unknown>)[key]
    : undefined;
}

/** Pool entries are canonical, private CIDRs that hold a /16 (`pool: 10.0.0.0/8` is reported at `pool`, a list entry at `pool[i]`). */
function poolIssues(raw: unknown): LocalIssue[] {
  const parsed = shape.pool.safeParse(field(raw, 'pool'));
  if (!parsed.success) return [];
  const single = !Array.isArray(field(raw, 'pool'));
  return parsed.data.flatMap((text, i): LocalIssue[] => {
    const path = single ? 'pool' : `pool[${i}]`;
    const canonical = canonicalCidr(text);
    if (canonical === undefined)
      return [
        {
          code: IssueCode.CIDR_INVALID,
          path,
          message: `${quoteCapped(text)} is not an IPv4 CIDR`,
          received: text,
          expected: 'a CIDR such as 10.0.0.0/8',
        },
      ];
    if (canonical !== text)
      return [
        {
          code: IssueCode.CIDR_NOT_CANONICAL,
          path,
          message: `${text} is not in canonical form (host bits cleared); it denotes ${canonical}`,
          received: text,
          expected: canonical,
        },
      ];
    const prefix = Number(text.split('/')[1]);
    if (prefix > 16)
      return [
        {
          code: IssueCode.POOL_TOO_SMALL,
          path,
          message: `a /${prefix} cannot hold a FLAG's /16 VPC`,
          received: text,
          expected: 'a /16 or larger, e.g. 10.0.0.0/8',
        },
      ];
    if (!isPrivateCidr(text))
      return [
        {
          code: IssueCode.POOL_NOT_PRIVATE,
          path,
          message: `${text} is not wholly private address space: FLAG VPCs taken from it could shadow public or special-purpose addresses`,
          received: text,
          expected: PRIVATE_EXPECTED,
        },
      ];
    return [];
  });
}

/** A role listed under an account must be in that account. */
function roleIssues(raw: unknown): LocalIssue[] {
  const accounts = field(raw, 'accounts');
  if (accounts === null || typeof accounts !== 'object') return [];
  return Object.entries(accounts).flatMap(([accountId, arns]) =>
    (['planRoleArn', 'applyRoleArn'] as const).flatMap((key): LocalIssue[] => {
      const arn = shape.accounts.safeParse({ [accountId]: arns }).success
        ? (arns as Record<string, string>)[key]
        : undefined;
      const inArn = arn?.split(':')[4];
      if (arn === undefined || inArn === accountId) return [];
      return [
        {
          code: IssueCode.ROLE_ARN_INVALID,
          path: `accounts.${accountId}.${key}`,
          message: `the role is in account ${inArn}, not in ${accountId}, the account it is listed under`,
          received: arn,
          expected: `arn:aws:iam::${accountId}:role/<name>`,
        },
      ];
    }),
  );
}

/** The state account bootstraps like any other: it must be listed under `accounts`. */
function stateAccountIssues(raw: unknown): LocalIssue[] {
  const accountId = field(field(raw, 'state'), 'accountId');
  const accounts = field(raw, 'accounts');
  if (!shape.state.shape.accountId.safeParse(accountId).success || !shape.accounts.safeParse(accounts).success)
    return [];
  if (typeof accountId !== 'string' || (accounts !== undefined && accountId in (accounts as Record<string, unknown>)))
    return [];
  return [
    {
      code: IssueCode.STATE_ACCOUNT_NOT_LISTED,
      path: 'state.accountId',
      message: `account ${accountId} owns the state bucket but is not listed under accounts, so it has no plan and apply roles`,
      received: accountId,
      expected: `an account listed under accounts, or add accounts."${accountId}" with its planRoleArn and applyRoleArn`,
    },
  ];
}

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

/**
 * `state.endpoint`: the URL of a store, nothing else (no credentials, query or fragment), over https. The state
 * holds secrets in clear, so plain http is accepted only on loopback, where a test or a local store runs.
 */
function stateEndpointIssues(raw: unknown): LocalIssue[] {
  const endpoint = field(field(raw, 'state'), 'endpoint');
  if (typeof endpoint !== 'string') return [];
  const issue = (why: string): LocalIssue[] => [
    {
      code: IssueCode.STATE_ENDPOINT_INVALID,
      path: 'state.endpoint',
      message: `${quoteCapped(endpoint)} ${why}`,
      received: endpoint,
      expected: 'an https URL of the store, e.g. https://minio.example.com:9000 (http only on loopback)',
    },
  ];
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return issue('is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return issue(`is a ${url.protocol} URL, not https`);
  if (url.username || url.password || url.search || url.hash || endpoint.includes('?') || endpoint.includes('#')) {
    return issue('must name only the store: no credentials, query or fragment (credentials come from the environment)');
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
  if (url.protocol === 'http:' && !loopback) {
    return issue('is plain http: the state holds secrets in clear, so only a loopback store may use http');
  }
  if (field(field(raw, 'state'), 'accountId') !== undefined) {
    return issue(
      'names a store outside AWS, but state.accountId says kitt bootstrap creates the bucket in an AWS account: leave out one of them',
    );
  }
  return [];
}

function toOrgConfig(document: OrgDocument): OrgConfig {
  return {
    pool: document.pool,
    state: document.state,
    ...(document.github === undefined ? {} : { github: document.github }),
    ...(document.domain === undefined ? {} : { domain: document.domain }),
    flowLogRetentionDays: document.flowLogRetentionDays,
    amis: document.amis,
    accounts: document.accounts,
    environments: Object.fromEntries(
      Object.entries(document.environments).map(([name, value]) => [
        name,
        typeof value === 'string'
          ? { environment: value, approvers: [] }
          : { environment: value.environment ?? name, approvers: value.approvers },
      ]),
    ),
    ...(document.applySince === undefined ? {} : { applySince: document.applySince }),
  };
}
