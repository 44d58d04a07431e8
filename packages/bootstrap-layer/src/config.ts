import { ACCOUNT_ID_PATTERN, ORG_FILE, awsPartition, type AccountRoles, type OrgConfig } from '@kitt/flag-config';
import { BootstrapError, BootstrapErrorCode } from './errors';

/** What a bootstrap stack is made of. */
export interface BootstrapStackConfig {
  /** The AWS account to bootstrap (12 digits); must be listed under org.yaml `accounts`. */
  readonly accountId: string;
  /** `flags/org.yaml`, loaded. */
  readonly org: OrgConfig;
  /**
   * Where the stack keeps its own state: `local` (a `terraform.tfstate` beside the stack, for the first apply,
   * before the state bucket exists) or `s3` (the state bucket, after `terraform init -migrate-state`).
   * @default 'local'
   */
  readonly backend?: BootstrapBackend;
}

export type BootstrapBackend = 'local' | 's3';

/** An IAM role as its ARN names it. */
export interface RoleName {
  readonly arn: string;
  readonly name: string;
  /** `/` or `/a/b/`. */
  readonly path: string;
}

/** The stack's inputs, checked and with every default filled in. */
export interface ResolvedBootstrapConfig {
  readonly accountId: string;
  readonly partition: string;
  /** The provider's region: the state bucket's (IAM is global). */
  readonly region: string;
  /** `OWNER/REPO`. */
  readonly repository: string;
  readonly planRole: RoleName;
  readonly applyRole: RoleName;
  /** The GitHub Environments apply jobs run in (org.yaml `environments` values), sorted, each once. */
  readonly environments: readonly string[];
  /** Set in the state account only: the bucket and the roles of every listed account it grants. */
  readonly stateBucket?: StateBucketGrants;
  readonly backend: BootstrapBackend;
}

export interface StateBucketGrants {
  readonly bucket: string;
  /** Every listed account's plan role (read only), sorted. */
  readonly planRoleArns: readonly string[];
  /** Every listed account's apply role (read and write: state and lock files), sorted. */
  readonly applyRoleArns: readonly string[];
}

/** Checks `config` against org.yaml; throws BootstrapError naming what to add, and where. */
export function resolveBootstrapConfig(config: BootstrapStackConfig): ResolvedBootstrapConfig {
  const { accountId, org } = config;
  if (!ACCOUNT_ID_PATTERN.test(accountId)) {
    throw new BootstrapError({
      code: BootstrapErrorCode.ACCOUNT_ID_INVALID,
      file: ORG_FILE,
      path: 'accounts',
      message: `${JSON.stringify(accountId)} is not an AWS account id`,
      received: accountId,
      expected: 'a 12-digit AWS account id, e.g. 123456789012',
    });
  }
  const roles = org.accounts[accountId];
  if (roles === undefined) {
    throw new BootstrapError({
      code: BootstrapErrorCode.ACCOUNT_NOT_LISTED,
      file: ORG_FILE,
      path: 'accounts',
      message:
        `account ${accountId} is not listed, so kitt knows no roles to make in it. Add these lines under ` +
        `accounts (the role names are yours to choose), merge them, then bootstrap:\n\n` +
        accountLines(accountId, awsPartition(org.state.region)),
    });
  }
  const repository = org.github?.repository;
  if (repository === undefined) {
    throw new BootstrapError({
      code: BootstrapErrorCode.REPOSITORY_MISSING,
      file: ORG_FILE,
      path: 'github.repository',
      message: `${ORG_FILE} names no github.repository: the roles trust the workflows of one repository. Add:\n\ngithub:\n  repository: OWNER/REPO`,
      expected: 'github: { repository: OWNER/REPO } (this repository on GitHub)',
    });
  }
  const stateAccountId = org.state.accountId;
  if (stateAccountId === undefined) {
    throw new BootstrapError({
      code: BootstrapErrorCode.STATE_ACCOUNT_MISSING,
      file: ORG_FILE,
      path: 'state.accountId',
      message: `${ORG_FILE} names no state.accountId: one account owns the state bucket ${org.state.bucket}. Add it under state:\n\nstate:\n  accountId: "<the account that owns ${org.state.bucket}>"`,
      expected: 'a 12-digit account id listed under accounts',
    });
  }
  const environments = [...new Set(Object.values(org.environments).map((settings) => settings.environment))].sort();
  if (environments.length === 0) {
    throw new BootstrapError({
      code: BootstrapErrorCode.ENVIRONMENTS_MISSING,
      file: ORG_FILE,
      path: 'environments',
      message: `${ORG_FILE} names no environments: the apply role trusts apply.yml only in the GitHub Environments listed there, so it would trust nothing. Add, per FLAG environment:\n\nenvironments:\n  prod: production`,
      expected: 'environments: { <FLAG environment>: <GitHub Environment> }',
    });
  }
  return {
    accountId,
    partition: roles.planRoleArn.split(':')[1] ?? 'aws',
    region: org.state.region,
    repository,
    planRole: roleName(roles.planRoleArn),
    applyRole: roleName(roles.applyRoleArn),
    environments,
    ...(stateAccountId === accountId ? { stateBucket: stateBucketGrants(org) } : {}),
    backend: config.backend ?? 'local',
  };
}

/** The org.yaml lines that list an account, with kitt's usual role names. */
function accountLines(accountId: string, partition: string): string {
  return [
    'accounts:',
    `  "${accountId}":`,
    `    planRoleArn: arn:${partition}:iam::${accountId}:role/kitt-plan`,
    `    applyRoleArn: arn:${partition}:iam::${accountId}:role/kitt-apply`,
  ].join('\n');
}

/** `arn:aws:iam::1:role/a/b/kitt-plan` → name `kitt-plan`, path `/a/b/`. */
export function roleName(arn: string): RoleName {
  const resource = arn.split(':').slice(5).join(':').slice('role/'.length);
  const parts = resource.split('/');
  const name = parts.pop() ?? resource;
  return { arn, name, path: parts.length === 0 ? '/' : `/${parts.join('/')}/` };
}

function stateBucketGrants(org: OrgConfig): StateBucketGrants {
  const all: AccountRoles[] = Object.values(org.accounts);
  return {
    bucket: org.state.bucket,
    planRoleArns: all.map((roles) => roles.planRoleArn).sort(),
    applyRoleArns: all.map((roles) => roles.applyRoleArn).sort(),
  };
}
