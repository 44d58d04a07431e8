import { Testing } from 'cdktf';
import { parseOrg } from '@kitt/flag-config';
import { BootstrapStack } from './bootstrap-stack';
import { BootstrapError } from './errors';
import {
  ORG_TEXT,
  OTHER_ACCOUNT,
  STATE_ACCOUNT,
  org,
  policyOf,
  resourcesOf,
  synthBootstrap,
} from './__fixtures__/synth';

const PLAN_PR =
  'repo:example-org/platform-flags:pull_request:job_workflow_ref:example-org/platform-flags/.github/workflows/plan.yml@refs/pull/*/merge';
const PLAN_DRIFT =
  'repo:example-org/platform-flags:ref:refs/heads/main:job_workflow_ref:example-org/platform-flags/.github/workflows/drift.yml@refs/heads/main';
const applySubject = (environment: string) =>
  `repo:example-org/platform-flags:environment:${environment}:job_workflow_ref:example-org/platform-flags/.github/workflows/apply.yml@refs/heads/main`;

function refusal(text: string, accountId = STATE_ACCOUNT): BootstrapError {
  try {
    new BootstrapStack(Testing.app(), { accountId, org: parseOrg(text) });
  } catch (error) {
    if (error instanceof BootstrapError) return error;
    throw error;
  }
  throw new Error('expected a BootstrapError');
}

describe('BootstrapStack', () => {
  const { stack, tf } = synthBootstrap({ accountId: STATE_ACCOUNT });
  const other = synthBootstrap({ accountId: OTHER_ACCOUNT }).tf;

  it('is named after its account and may touch no other account', () => {
    expect(stack.node.id).toBe('kitt-bootstrap-111111111111');
    expect(tf.provider.aws[0]).toEqual(
      expect.objectContaining({ region: 'us-east-1', allowed_account_ids: ['111111111111'] }),
    );
  });

  it('pins its construct ids: renaming one would destroy a role or the state bucket', () => {
    const addresses = Object.entries(tf.resource).flatMap(([type, byId]) =>
      Object.keys(byId).map((id) => `${type}.${id}`),
    );
    expect(addresses.sort()).toEqual([
      'aws_iam_openid_connect_provider.github-oidc',
      'aws_iam_role.role-apply',
      'aws_iam_role.role-plan',
      'aws_iam_role_policy.role-plan-limits',
      'aws_iam_role_policy_attachment.role-apply-admin',
      'aws_iam_role_policy_attachment.role-plan-read-only',
      'aws_s3_bucket.state-bucket',
      'aws_s3_bucket_ownership_controls.state-bucket-ownership',
      'aws_s3_bucket_policy.state-bucket-policy',
      'aws_s3_bucket_public_access_block.state-bucket-public-access',
      'aws_s3_bucket_server_side_encryption_configuration.state-bucket-encryption',
      'aws_s3_bucket_versioning.state-bucket-versioning',
    ]);
  });

  it('starts on local state beside the stack, and moves into the state bucket under its own key', () => {
    expect(tf.terraform.backend).toEqual({ local: { path: 'terraform.tfstate' } });
    const moved = synthBootstrap({ accountId: OTHER_ACCOUNT, backend: 's3' }).tf;
    expect(moved.terraform.backend).toEqual({
      s3: {
        bucket: 'kitt-tfstate-example',
        region: 'us-east-1',
        key: 'bootstrap/222222222222.tfstate',
        encrypt: true,
        use_lockfile: true,
      },
    });
  });

  it("makes GitHub's OIDC provider for the STS audience", () => {
    expect(resourcesOf(tf, 'aws_iam_openid_connect_provider')['github-oidc']).toEqual(
      expect.objectContaining({
        url: 'https://token.actions.githubusercontent.com',
        client_id_list: ['sts.amazonaws.com'],
      }),
    );
  });

  it('names the roles as org.yaml does, path included', () => {
    const roles = resourcesOf(other, 'aws_iam_role');
    expect(roles['role-plan']).toEqual(expect.objectContaining({ name: 'kitt-plan', path: '/ci/' }));
    expect(roles['role-apply']).toEqual(expect.objectContaining({ name: 'kitt-apply', path: '/ci/' }));
  });

  it("trusts the plan role to plan.yml's pull request runs and drift.yml on main, by customized subject", () => {
    expect(policyOf(resourcesOf(tf, 'aws_iam_role')['role-plan'], 'assume_role_policy')).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'GitHubActionsOfThisRepository',
          Effect: 'Allow',
          Principal: { Federated: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com' },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
            StringLike: { 'token.actions.githubusercontent.com:sub': [PLAN_PR, PLAN_DRIFT] },
          },
        },
      ],
    });
  });

  it("trusts the apply role only to apply.yml on main in org.yaml's Environments, exactly", () => {
    const trust = policyOf(resourcesOf(tf, 'aws_iam_role')['role-apply'], 'assume_role_policy');
    expect(trust).toEqual(
      expect.objectContaining({
        Statement: [
          expect.objectContaining({
            Condition: {
              StringEquals: {
                'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
                'token.actions.githubusercontent.com:sub': [applySubject('development'), applySubject('production')],
              },
            },
          }),
        ],
      }),
    );
    expect(JSON.stringify(trust)).not.toContain('pull_request');
    expect(JSON.stringify(trust)).not.toContain('*');
  });

  it('gives the plan role ReadOnlyAccess and the apply role AdministratorAccess', () => {
    const attachments = resourcesOf(tf, 'aws_iam_role_policy_attachment');
    expect(attachments['role-plan-read-only']?.policy_arn).toBe('arn:aws:iam::aws:policy/ReadOnlyAccess');
    expect(attachments['role-apply-admin']?.policy_arn).toBe('arn:aws:iam::aws:policy/AdministratorAccess');
  });

  it('makes the state bucket in the state account only: versioned, encrypted, private, kept', () => {
    expect(resourcesOf(other, 'aws_s3_bucket')).toEqual({});
    expect(resourcesOf(tf, 'aws_s3_bucket')['state-bucket']).toEqual(
      expect.objectContaining({
        bucket: 'kitt-tfstate-example',
        force_destroy: false,
        lifecycle: { prevent_destroy: true },
      }),
    );
    expect(resourcesOf(tf, 'aws_s3_bucket_versioning')['state-bucket-versioning']).toEqual(
      expect.objectContaining({ versioning_configuration: { status: 'Enabled' } }),
    );
    expect(resourcesOf(tf, 'aws_s3_bucket_server_side_encryption_configuration')['state-bucket-encryption']).toEqual(
      expect.objectContaining({ rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }] }),
    );
    expect(resourcesOf(tf, 'aws_s3_bucket_public_access_block')['state-bucket-public-access']).toEqual(
      expect.objectContaining({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      }),
    );
  });

  it("grants every listed account's roles in the bucket policy, and refuses plain HTTP", () => {
    const policy = policyOf(resourcesOf(tf, 'aws_s3_bucket_policy')['state-bucket-policy'], 'policy');
    const plans = ['arn:aws:iam::111111111111:role/kitt-plan', 'arn:aws:iam::222222222222:role/ci/kitt-plan'];
    const applies = ['arn:aws:iam::111111111111:role/kitt-apply', 'arn:aws:iam::222222222222:role/ci/kitt-apply'];
    const bucket = 'arn:aws:s3:::kitt-tfstate-example';
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
      expect.objectContaining({
        Action: 's3:ListBucket',
        Resource: bucket,
        Condition: { ArnEquals: { 'aws:PrincipalArn': [...plans, ...applies] } },
      }),
      expect.objectContaining({
        Action: 's3:GetObject',
        Resource: `${bucket}/flags/*`,
        Condition: { ArnEquals: { 'aws:PrincipalArn': plans } },
      }),
      expect.objectContaining({
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: `${bucket}/flags/*`,
        Condition: { ArnEquals: { 'aws:PrincipalArn': applies } },
      }),
      expect.objectContaining({
        Action: 's3:DeleteObject',
        Resource: `${bucket}/flags/*.tflock`,
        Condition: { ArnEquals: { 'aws:PrincipalArn': applies } },
      }),
    ]);
  });

  it('refuses an account org.yaml does not list, printing the lines to add', () => {
    const error = refusal(ORG_TEXT, '444444444444');
    expect(error.code).toBe('BOOTSTRAP_ACCOUNT_NOT_LISTED');
    expect(error.issues[0]).toEqual(expect.objectContaining({ file: 'flags/org.yaml', path: 'accounts' }));
    expect(error.message).toContain(
      [
        'accounts:',
        '  "444444444444":',
        '    planRoleArn: arn:aws:iam::444444444444:role/kitt-plan',
        '    applyRoleArn: arn:aws:iam::444444444444:role/kitt-apply',
      ].join('\n'),
    );
  });

  it('refuses an account id that is not 12 digits', () => {
    expect(refusal(ORG_TEXT, '1234').code).toBe('BOOTSTRAP_ACCOUNT_ID_INVALID');
  });

  it.each([
    ['BOOTSTRAP_REPOSITORY_MISSING', 'github.repository', ORG_TEXT.replace(/github:\n.*\n/, '')],
    ['BOOTSTRAP_STATE_ACCOUNT_MISSING', 'state.accountId', ORG_TEXT.replace(/ {2}accountId: .*\n/, '')],
    ['BOOTSTRAP_ENVIRONMENTS_MISSING', 'environments', ORG_TEXT.replace(/environments:\n(.*\n)*/, '')],
  ])('refuses an org.yaml without what the trust needs: %s', (code, path, text) => {
    const error = refusal(text);
    expect(error.code).toBe(code);
    expect(error.issues[0]).toEqual(expect.objectContaining({ file: 'flags/org.yaml', path }));
  });

  it('leaves the example org.yaml of the fixture valid', () => {
    expect(org.github?.repository).toBe('example-org/platform-flags');
  });
});
