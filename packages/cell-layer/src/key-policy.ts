import { awsPartition, cellSsmPrefix } from '@kitt/flag-config';
import type { CellScope, PolicyDocument, PolicyStatement } from './iam-policies';

/** The principals the cell key knows, as ARNs written before apply. */
export interface CellKeyPrincipals {
  readonly controlPlaneRoleArn: string;
  readonly workerRoleArn: string;
  readonly etcdRoleArns: readonly string[];
  /** The FLAG account's apply role (org.yaml `accounts`); without it, the account administers the key. */
  readonly applyRoleArn?: string;
  /** The FLAG account's plan role: may read the key's settings (Terraform refresh), never use it. */
  readonly planRoleArn?: string;
}

const USE_FOR_READ = ['kms:Decrypt'];
const USE_FOR_WRITE = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'];
/** What Terraform does to the key: everything but using it. */
const ADMINISTER = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
];
const READ_SETTINGS = ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags'];

/**
 * The policy of the cell's customer-managed key, which encrypts the cell's
 * SecureStrings (CA keys, bootstrap tokens). There is deliberately no
 * statement that delegates the key to the account's IAM policies (the
 * usual `root` + `kms:*`): that is what makes the default `aws/ssm` key
 * readable by every principal of the account, the plan role included.
 * Only the cell's node roles may decrypt, each through SSM and for its own
 * path only (the SSM encryption context names the parameter), and the
 * FLAG's apply role.
 */
export function cellKeyPolicy(scope: CellScope, principals: CellKeyPrincipals): PolicyDocument {
  const { flag, accountId } = scope;
  const viaSsm = { 'kms:ViaService': `ssm.${flag.region}.amazonaws.com` };
  const parameters = (below: string) =>
    `arn:${awsPartition(flag.region)}:ssm:${flag.region}:${accountId}:parameter${cellSsmPrefix(flag, scope.cell)}${below}*`;
  const nodeUse = (
    sid: string,
    roles: string | readonly string[],
    actions: string[],
    below: string,
  ): PolicyStatement => ({
    Sid: sid,
    Effect: 'Allow',
    Principal: { AWS: roles },
    Action: actions,
    Resource: '*',
    Condition: {
      StringEquals: viaSsm,
      StringLike: { 'kms:EncryptionContext:PARAMETER_ARN': parameters(below) },
    },
  });
  const administrator = principals.applyRoleArn ?? `arn:${awsPartition(flag.region)}:iam::${accountId}:root`;
  const statements: PolicyStatement[] = [
    { Sid: 'Administer', Effect: 'Allow', Principal: { AWS: administrator }, Action: ADMINISTER, Resource: '*' },
    nodeUse('ControlPlaneUsesCellParameters', principals.controlPlaneRoleArn, USE_FOR_WRITE, ''),
    nodeUse('WorkersReadJoinPath', principals.workerRoleArn, USE_FOR_READ, 'join/'),
    nodeUse('EtcdMembersReadEtcdPki', principals.etcdRoleArns, USE_FOR_READ, 'pki/etcd/'),
  ];
  if (principals.applyRoleArn !== undefined) {
    statements.push({
      Sid: 'ApplyRoleUsesCellParameters',
      Effect: 'Allow',
      Principal: { AWS: principals.applyRoleArn },
      Action: USE_FOR_WRITE,
      Resource: '*',
      Condition: { StringEquals: viaSsm },
    });
  }
  if (principals.planRoleArn !== undefined) {
    statements.push({
      Sid: 'PlanRoleReadsSettings',
      Effect: 'Allow',
      Principal: { AWS: principals.planRoleArn },
      Action: READ_SETTINGS,
      Resource: '*',
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}
