import {
  CELL_TAG_KEYS,
  FLAGS_DIR,
  CONTROL_PLANE_NODE_ROLE,
  GITHUB_OIDC_AUDIENCE,
  GITHUB_OIDC_HOST,
  KITT_KMS_ALIAS_PATTERN,
  KITT_SSM_ROOT,
  KITT_WORKFLOWS,
  MAIN_BRANCH,
  SSM_PORT_FORWARDING_DOCUMENT,
  etcdSnapshotObjectArnPatterns,
} from '@kitt/flag-config';

/**
 * The policy documents of the bootstrap stack, as pure functions of the
 * resolved config: the roles' trust, the plan role's denies and tunnel
 * grant, and the state bucket's policy. Specs evaluate them with an IAM
 * simulator, not only by their text.
 */

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: unknown;
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

const document = (...statements: PolicyStatement[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: statements,
});

/** `<owner>/<repo>/<workflow path>@<ref>`: the `job_workflow_ref` claim of a job defined in that workflow. */
export function jobWorkflowRef(repository: string, workflow: string, ref: string): string {
  return `${repository}/${workflow}@${ref}`;
}

const MAIN_REF = `refs/heads/${MAIN_BRANCH}`;

/**
 * The OIDC subjects the plan role trusts, under the repository's customized subject
 * (`repo`, `context`, `job_workflow_ref`): a `pull_request` run of plan.yml (the merge ref of any pull
 * request) and drift.yml on main.
 */
export function planRoleSubjects(repository: string): readonly string[] {
  return [
    `repo:${repository}:pull_request:job_workflow_ref:${jobWorkflowRef(repository, KITT_WORKFLOWS.plan, 'refs/pull/*/merge')}`,
    `repo:${repository}:ref:${MAIN_REF}:job_workflow_ref:${jobWorkflowRef(repository, KITT_WORKFLOWS.drift, MAIN_REF)}`,
  ];
}

/** The OIDC subjects the apply role trusts: apply.yml on main, in one of the GitHub Environments. Exact, no wildcard. */
export function applyRoleSubjects(repository: string, environments: readonly string[]): readonly string[] {
  return environments.map(
    (environment) =>
      `repo:${repository}:environment:${environment}:job_workflow_ref:${jobWorkflowRef(repository, KITT_WORKFLOWS.apply, MAIN_REF)}`,
  );
}

/** A role's trust: GitHub's OIDC provider, for tokens minted for STS whose subject matches one of `subjects`. */
export function githubTrustPolicy(
  providerArn: string,
  subjects: readonly string[],
  match: 'StringLike' | 'StringEquals',
): PolicyDocument {
  return document({
    Sid: 'GitHubActionsOfThisRepository',
    Effect: 'Allow',
    Principal: { Federated: providerArn },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: {
      ...(match === 'StringLike' ? { StringLike: { [`${GITHUB_OIDC_HOST}:sub`]: subjects } } : {}),
      StringEquals: {
        [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
        ...(match === 'StringEquals' ? { [`${GITHUB_OIDC_HOST}:sub`]: subjects } : {}),
      },
    },
  });
}

/**
 * What `ReadOnlyAccess` would let a plan read but a plan never needs: kitt's SSM parameters (CA keys, join
 * tokens), decryption with kitt's keys, etcd snapshots; and any S3 write (plans run with `-lock=false`).
 * Plus the one thing read-only lacks: a port-forwarding session to a control-plane instance, for the tunnel
 * an addons plan reaches its cell's API through.
 */
export function planRolePolicy(partition: string, accountId: string): PolicyDocument {
  return document(
    {
      Sid: 'DenyKittParameters',
      Effect: 'Deny',
      Action: 'ssm:GetParameter*',
      Resource: [
        `arn:${partition}:ssm:*:${accountId}:parameter${KITT_SSM_ROOT}`,
        `arn:${partition}:ssm:*:${accountId}:parameter${KITT_SSM_ROOT}/*`,
      ],
    },
    {
      Sid: 'DenyDecryptWithKittKeys',
      Effect: 'Deny',
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': KITT_KMS_ALIAS_PATTERN } },
    },
    {
      Sid: 'DenyEtcdSnapshots',
      Effect: 'Deny',
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Resource: etcdSnapshotObjectArnPatterns(partition),
    },
    {
      Sid: 'DenyS3Writes',
      Effect: 'Deny',
      Action: ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion'],
      Resource: '*',
    },
    {
      Sid: 'TunnelToControlPlaneInstances',
      Effect: 'Allow',
      Action: 'ssm:StartSession',
      Resource: `arn:${partition}:ec2:*:${accountId}:instance/*`,
      Condition: {
        StringEquals: { [`ssm:resourceTag/${CELL_TAG_KEYS.role}`]: CONTROL_PLANE_NODE_ROLE },
        BoolIfExists: { 'ssm:SessionDocumentAccessCheck': 'true' },
      },
    },
    {
      Sid: 'TunnelWithThePortForwardingDocumentOnly',
      Effect: 'Allow',
      Action: 'ssm:StartSession',
      // AWS's own documents have no account in their ARN; `*` also matches none. Customers cannot use the AWS- prefix.
      Resource: `arn:${partition}:ssm:*:*:document/${SSM_PORT_FORWARDING_DOCUMENT}`,
      Condition: { BoolIfExists: { 'ssm:SessionDocumentAccessCheck': 'true' } },
    },
  );
}

/**
 * The state bucket's policy: TLS only, for everyone; plan roles list the bucket and read the stacks' state
 * (`flags/*`); apply roles also write it, and delete only lock files (`use_lockfile`: `<key>.tflock`). Roles
 * are matched by `aws:PrincipalArn`, so the policy is valid before the roles of other accounts exist, and
 * keeps working when a role is made again.
 */
export function stateBucketPolicy(
  partition: string,
  bucket: string,
  grants: { readonly planRoleArns: readonly string[]; readonly applyRoleArns: readonly string[] },
): PolicyDocument {
  const bucketArn = `arn:${partition}:s3:::${bucket}`;
  const stacks = `${bucketArn}/${FLAGS_DIR}/*`;
  const roles = (arns: readonly string[]) => ({ ArnEquals: { 'aws:PrincipalArn': arns } });
  const everyRole = [...grants.planRoleArns, ...grants.applyRoleArns];
  return document(
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
    {
      Sid: 'RolesListTheBucket',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 's3:ListBucket',
      Resource: bucketArn,
      Condition: roles(everyRole),
    },
    {
      Sid: 'PlanRolesReadState',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 's3:GetObject',
      Resource: stacks,
      Condition: roles(grants.planRoleArns),
    },
    {
      Sid: 'ApplyRolesReadAndWriteState',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: stacks,
      Condition: roles(grants.applyRoleArns),
    },
    {
      Sid: 'ApplyRolesReleaseLocks',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 's3:DeleteObject',
      Resource: `${bucketArn}/${FLAGS_DIR}/*.tflock`,
      Condition: roles(grants.applyRoleArns),
    },
  );
}
