import type { Construct } from 'constructs';
import { LocalBackend, S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import {
  GITHUB_OIDC_AUDIENCE,
  GITHUB_OIDC_HOST,
  bootstrapStackName,
  bootstrapStateKey,
  bootstrapTags,
  githubOidcProviderArn,
  PLAN_LIMITS_POLICY_NAME,
} from '@kitt/flag-config';
import { resolveBootstrapConfig, type BootstrapStackConfig, type ResolvedBootstrapConfig } from './config';
import { applyRoleSubjects, githubTrustPolicy, planRolePolicy, planRoleSubjects } from './policies';
import { addStateBucket } from './state-bucket';

/** Names of the stack's outputs: what `kitt bootstrap --apply` prints. */
export const BOOTSTRAP_OUTPUT_NAMES = {
  planRoleArn: 'plan_role_arn',
  applyRoleArn: 'apply_role_arn',
  oidcProviderArn: 'github_oidc_provider_arn',
  stateBucket: 'state_bucket',
} as const;

/**
 * The bootstrap of one AWS account (stack `kitt-bootstrap-<account-id>`): GitHub's OIDC provider and the plan
 * and apply roles org.yaml names, trusted only for this repository's workflows; in the state account also the
 * Terraform state bucket. Applied by an administrator (`kitt bootstrap --apply`), never by a workflow: a pull
 * request must not be able to widen what its own run may assume.
 */
export class BootstrapStack extends TerraformStack {
  readonly config: ResolvedBootstrapConfig;

  constructor(scope: Construct, config: BootstrapStackConfig) {
    // Checked before the stack exists, so a bad org.yaml leaves no half-built App.
    const resolved = resolveBootstrapConfig(config);
    super(scope, bootstrapStackName(resolved.accountId));
    this.config = resolved;
    const { accountId, partition, region, repository } = resolved;

    new AwsProvider(this, 'aws', {
      region,
      allowedAccountIds: [accountId],
      defaultTags: [{ tags: bootstrapTags() }],
    });
    if (resolved.backend === 's3') {
      const backend = new S3Backend(this, {
        bucket: config.org.state.bucket,
        region: config.org.state.region,
        key: bootstrapStateKey(accountId),
        encrypt: true,
      });
      backend.addOverride('use_lockfile', true);
    } else {
      new LocalBackend(this, { path: 'terraform.tfstate' });
    }

    const oidc = new IamOpenidConnectProvider(this, 'github-oidc', {
      url: `https://${GITHUB_OIDC_HOST}`,
      clientIdList: [GITHUB_OIDC_AUDIENCE],
    });
    const providerArn = githubOidcProviderArn(partition, accountId);

    const planRole = new IamRole(this, 'role-plan', {
      name: resolved.planRole.name,
      path: resolved.planRole.path,
      description: `kitt plans of ${repository}: pull request runs of plan.yml and drift.yml on main (read-only)`,
      assumeRolePolicy: JSON.stringify(githubTrustPolicy(providerArn, planRoleSubjects(repository), 'StringLike')),
      maxSessionDuration: 3600,
      dependsOn: [oidc],
    });
    new IamRolePolicyAttachment(this, 'role-plan-read-only', {
      role: planRole.name,
      policyArn: `arn:${partition}:iam::aws:policy/ReadOnlyAccess`,
    });
    new IamRolePolicy(this, 'role-plan-limits', {
      role: planRole.name,
      name: PLAN_LIMITS_POLICY_NAME,
      policy: JSON.stringify(planRolePolicy(partition, accountId)),
    });

    const applyRole = new IamRole(this, 'role-apply', {
      name: resolved.applyRole.name,
      path: resolved.applyRole.path,
      description: `kitt applies of ${repository}: apply.yml on main in its GitHub Environments`,
      assumeRolePolicy: JSON.stringify(
        githubTrustPolicy(providerArn, applyRoleSubjects(repository, resolved.environments), 'StringEquals'),
      ),
      maxSessionDuration: 7200,
      dependsOn: [oidc],
    });
    new IamRolePolicyAttachment(this, 'role-apply-admin', {
      role: applyRole.name,
      policyArn: `arn:${partition}:iam::aws:policy/AdministratorAccess`,
    });

    new TerraformOutput(this, BOOTSTRAP_OUTPUT_NAMES.oidcProviderArn, { value: oidc.arn });
    new TerraformOutput(this, BOOTSTRAP_OUTPUT_NAMES.planRoleArn, { value: planRole.arn });
    new TerraformOutput(this, BOOTSTRAP_OUTPUT_NAMES.applyRoleArn, { value: applyRole.arn });
    if (resolved.stateBucket !== undefined) {
      const bucket = addStateBucket(this, partition, resolved.stateBucket);
      new TerraformOutput(this, BOOTSTRAP_OUTPUT_NAMES.stateBucket, { value: bucket.bucket });
    }
  }
}
