import { ETCD_SNAPSHOT_KEY_ROOT, MANAGED_BY } from './aws-names';

/**
 * Names of the account bootstrap (`kitt bootstrap <account-id>`): its stack
 * and state key, GitHub's OIDC issuer and the workflows the roles trust, and
 * the patterns over other layers' names that the plan role's denies cover.
 * A pattern here must match every name its function makes (a spec checks).
 */

/** The bootstrap stack of one AWS account: `kitt-bootstrap-<account-id>`. */
export function bootstrapStackName(accountId: string): string {
  return `kitt-bootstrap-${accountId}`;
}

/** Where the bootstrap stack's state lives once moved into the state bucket: `bootstrap/<account-id>.tfstate`. */
export function bootstrapStateKey(accountId: string): string {
  return `bootstrap/${accountId}.tfstate`;
}

/** GitHub Actions' OIDC issuer host: the provider's URL without `https://`, and the prefix of its condition keys. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

/** The audience `aws-actions/configure-aws-credentials` asks GitHub for. */
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';

/** The OIDC provider of GitHub Actions in an account (one per account, so a fixed name). */
export function githubOidcProviderArn(partition: string, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:oidc-provider/${GITHUB_OIDC_HOST}`;
}

/**
 * The claims of the repository's customized OIDC subject, in order:
 * `repo:<owner>/<repo>:<context>:job_workflow_ref:<owner>/<repo>/<workflow path>@<ref>`,
 * where the context is `pull_request`, `ref:<ref>` or `environment:<name>`.
 */
export const GITHUB_OIDC_SUBJECT_CLAIMS = ['repo', 'context', 'job_workflow_ref'] as const;

/** The workflows whose runs the roles trust (repository paths). */
export const KITT_WORKFLOWS = {
  plan: '.github/workflows/plan.yml',
  apply: '.github/workflows/apply.yml',
  drift: '.github/workflows/drift.yml',
} as const;

/** The plan role's inline policy of explicit denies (and its one tunnel grant). */
export const PLAN_LIMITS_POLICY_NAME = 'kitt-plan-limits';

/** The only branch applies and drift plans run from. */
export const MAIN_BRANCH = 'main';

/** Every SSM parameter kitt writes lives under this path (`cellSsmPrefix`). */
export const KITT_SSM_ROOT = '/kitt';

/**
 * The SSM parameters no plan may read, as name patterns: every cell's `pki/`
 * and `join/` subtrees, where its keys and tokens live. What stays readable
 * under a cell's prefix is public: `ca.crt`, which an addons plan needs to
 * reach its cell's API. A spec checks every cell parameter but that one
 * matches a pattern here.
 */
export const KITT_SECRET_PARAMETER_PATTERNS = [`${KITT_SSM_ROOT}/*/pki/*`, `${KITT_SSM_ROOT}/*/join/*`] as const;

/** Matches every cell key alias (`cellKmsAliasName`: `alias/kitt-<flag-id>-<cell>`) and kitt's other key aliases. */
export const KITT_KMS_ALIAS_PATTERN = 'alias/kitt-*';

/**
 * The objects of etcd snapshots, as S3 ARN patterns: any object of a bucket
 * named `kitt-<flag-id>-etcd-<account-id>`, and any object under the `etcd/`
 * key root of any `kitt-` bucket (which covers a bucket name shortened with a
 * hash).
 */
export function etcdSnapshotObjectArnPatterns(partition: string): readonly string[] {
  return [`arn:${partition}:s3:::kitt-*-etcd-*/*`, `arn:${partition}:s3:::kitt-*/${ETCD_SNAPSHOT_KEY_ROOT}/*`];
}

/** The Session Manager document that forwards a port and nothing else (no shell): the addons tunnel's. */
export const SSM_PORT_FORWARDING_DOCUMENT = 'AWS-StartPortForwardingSession';

/** The provider's default tags in a bootstrap stack: on every resource it makes. */
export function bootstrapTags(): Record<string, string> {
  return { 'kitt:layer': 'bootstrap', 'kitt:managed-by': MANAGED_BY };
}
