import type { Construct } from 'constructs';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { CELL_TAG_KEYS, awsPartition, cellKmsAliasName, cellTags, iamRoleName, resourceName } from '@kitt/flag-config';
import type { ResolvedCellStackConfig } from './config';
import {
  controlPlanePolicy,
  ec2AssumeRolePolicy,
  etcdMemberPolicy,
  sessionManagerPolicy,
  workerPolicy,
  type CellScope,
  type PolicyDocument,
} from './iam-policies';
import { cellKeyPolicy } from './key-policy';

export interface NodeIdentity {
  readonly role: IamRole;
  readonly profile: IamInstanceProfile;
}

export interface CellNodeIam {
  readonly controlPlane: NodeIdentity;
  readonly worker: NodeIdentity;
  /** By member index. */
  readonly etcd: readonly NodeIdentity[];
  readonly key: KmsKey;
}

/**
 * Terraform reads `${...}` in any string as its own interpolation; IAM policy
 * variables (`${aws:PrincipalTag/...}`) are escaped as `$${...}` to reach AWS as written.
 */
export function policyJson(policy: PolicyDocument): string {
  return JSON.stringify(policy).replaceAll('${', () => '$${');
}

export function cellScope(config: ResolvedCellStackConfig): CellScope {
  return { flag: config.flag, cell: config.cellPlan.name, accountId: config.flag.aws.accountId };
}

/**
 * One role and instance profile per node role (one per etcd member, tagged
 * with its index, which its attach permission compares), each with inline
 * policies only, and the cell's KMS key, whose policy names the roles.
 */
export function addCellNodeIam(scope: Construct, config: ResolvedCellStackConfig): CellNodeIam {
  const { flag, cellPlan } = config;
  const cell = cellPlan.name;
  const where = cellScope(config);
  const identity = (
    id: string,
    parts: string[],
    policy: PolicyDocument,
    tags: Record<string, string>,
  ): NodeIdentity => {
    const name = iamRoleName(flag, cell, ...parts);
    const role = new IamRole(scope, `role-${id}`, {
      name,
      description: `${parts.join(' ')} nodes of cell ${cell} of ${flag.id}`,
      assumeRolePolicy: policyJson(ec2AssumeRolePolicy()),
      tags: { ...cellTags(flag, cell), ...tags },
    });
    new IamRolePolicy(scope, `role-policy-${id}`, { role: role.name, name: 'node', policy: policyJson(policy) });
    new IamRolePolicy(scope, `role-policy-${id}-session`, {
      role: role.name,
      name: 'session-manager',
      policy: policyJson(sessionManagerPolicy()),
    });
    const profile = new IamInstanceProfile(scope, `profile-${id}`, {
      name,
      role: role.name,
      tags: cellTags(flag, cell),
    });
    return { role, profile };
  };
  const controlPlane = identity('control-plane', ['control-plane'], controlPlanePolicy(where), {});
  const worker = identity('worker', ['worker'], workerPolicy(where), {});
  const etcd = cellPlan.etcd.map((_, index) =>
    identity(`etcd-${index}`, ['etcd', String(index)], etcdMemberPolicy(where), {
      [CELL_TAG_KEYS.etcdMember]: String(index),
    }),
  );

  const roleArn = (parts: string[]) =>
    `arn:${awsPartition(flag.region)}:iam::${flag.aws.accountId}:role/${iamRoleName(flag, cell, ...parts)}`;
  const key = new KmsKey(scope, 'kms-key', {
    description: `SecureStrings of cell ${cell} of ${flag.id} (CA keys, bootstrap tokens)`,
    enableKeyRotation: true,
    deletionWindowInDays: 30,
    policy: policyJson(
      cellKeyPolicy(where, {
        controlPlaneRoleArn: roleArn(['control-plane']),
        workerRoleArn: roleArn(['worker']),
        etcdRoleArns: cellPlan.etcd.map((_, index) => roleArn(['etcd', String(index)])),
        ...(config.applyRoleArn === undefined ? {} : { applyRoleArn: config.applyRoleArn }),
        ...(config.planRoleArn === undefined ? {} : { planRoleArn: config.planRoleArn }),
      }),
    ),
    // KMS refuses a key policy that names a role that does not exist yet.
    dependsOn: [controlPlane.role, worker.role, ...etcd.map((member) => member.role)],
    tags: { Name: resourceName(flag, cell), ...cellTags(flag, cell) },
  });
  new KmsAlias(scope, 'kms-alias', { name: cellKmsAliasName(flag, cell), targetKeyId: key.keyId });
  return { controlPlane, worker, etcd, key };
}
