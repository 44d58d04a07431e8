import {
  CELL_TAG_KEYS,
  KITT_METRIC_NAMESPACE,
  MANAGED_BY,
  awsPartition,
  etcdSnapshotBucketName,
  etcdSnapshotKeyAliasName,
  etcdSnapshotPrefix,
  cellSsmPrefix,
  clusterCaCertificateParameterName,
  clusterName,
  type FlagIdentity,
} from '@kitt/flag-config';

/**
 * The IAM policy documents of a cell's node roles, as plain values: pure
 * functions of the FLAG and the cell, with no Terraform token in them, so a
 * test evaluates exactly these documents with an offline IAM simulator.
 *
 * Who reads which SSM path (everything under `/kitt/<flag-id>/<cell>/`):
 * - control plane: reads and writes all of it (it makes the CAs, publishes
 *   the CA certificate, rotates the join token);
 * - workers: read `join/*` and the CA certificate `ca.crt` only;
 * - etcd members: read `pki/etcd/*` only.
 * Decryption is granted by the cell key's policy (`key-policy.ts`), per role
 * and per path through the SSM encryption context, not here.
 */

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | readonly string[];
  /** Absent only in a trust policy. */
  readonly Resource?: string | readonly string[];
  readonly Principal?: { readonly AWS: string | readonly string[] } | { readonly Service: string };
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

/** Where the cell lives, for ARNs written before apply. */
export interface CellScope {
  readonly flag: FlagIdentity;
  readonly cell: string;
  readonly accountId: string;
}

const document = (...statements: PolicyStatement[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: statements,
});

function arn(scope: CellScope, service: string, resource: string, withRegion = true): string {
  const { flag, accountId } = scope;
  return `arn:${awsPartition(flag.region)}:${service}:${withRegion ? flag.region : ''}:${accountId}:${resource}`;
}

/** ARNs of an SSM path below the cell's prefix: the path itself (for GetParametersByPath) and everything under it. */
export function ssmPathArns(scope: CellScope, below = ''): string[] {
  const path = `${cellSsmPrefix(scope.flag, scope.cell)}${below}`.replace(/\/$/, '');
  return [arn(scope, 'ssm', `parameter${path}`), arn(scope, 'ssm', `parameter${path}/*`)];
}

const SSM_READ = ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'];
const SSM_WRITE = [
  'ssm:PutParameter',
  'ssm:DeleteParameter',
  'ssm:DeleteParameters',
  'ssm:AddTagsToResource',
  'ssm:GetParameterHistory',
];

/** Publishing kitt's node metrics (PutMetricData has no resource; the namespace is its only scope). */
const PUT_KITT_METRICS: PolicyStatement = {
  Sid: 'PublishKittMetrics',
  Effect: 'Allow',
  Action: 'cloudwatch:PutMetricData',
  Resource: '*',
  Condition: { StringEquals: { 'cloudwatch:namespace': KITT_METRIC_NAMESPACE } },
};

/**
 * The cell's prefix of the FLAG's snapshot bucket: an etcd member writes
 * snapshots there and reads them back for a restore, nowhere else, through
 * the snapshot key (found by its alias: the key is the flag layer's).
 */
function etcdSnapshotStatements(scope: CellScope): PolicyStatement[] {
  const bucket = etcdSnapshotBucketName({ ...scope.flag, aws: { accountId: scope.accountId } });
  return [
    {
      Sid: 'WriteAndReadOwnSnapshots',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:GetObject'],
      Resource: `arn:${awsPartition(scope.flag.region)}:s3:::${bucket}/${etcdSnapshotPrefix(scope.cell)}*`,
    },
    {
      Sid: 'EncryptSnapshots',
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: arn(scope, 'kms', 'key/*'),
      Condition: {
        'ForAnyValue:StringEquals': { 'kms:ResourceAliases': etcdSnapshotKeyAliasName(scope.flag) },
        StringEquals: { 'kms:ViaService': `s3.${scope.flag.region}.amazonaws.com` },
      },
    },
  ];
}

/**
 * Session Manager only (shell access without SSH). Not the managed
 * `AmazonSSMManagedInstanceCore`: that grants `ssm:GetParameter(s)` on every
 * parameter of the account, which would undo the per-role paths above.
 */
export function sessionManagerPolicy(): PolicyDocument {
  return document({
    Sid: 'SessionManager',
    Effect: 'Allow',
    Action: [
      'ssm:UpdateInstanceInformation',
      // Run Command (kitt roll, kitt etcd restore) delivers its commands through the message service.
      'ec2messages:AcknowledgeMessage',
      'ec2messages:DeleteMessage',
      'ec2messages:FailMessage',
      'ec2messages:GetEndpoint',
      'ec2messages:GetMessages',
      'ec2messages:SendReply',
      'ssmmessages:CreateControlChannel',
      'ssmmessages:CreateDataChannel',
      'ssmmessages:OpenControlChannel',
      'ssmmessages:OpenDataChannel',
    ],
    Resource: '*',
  });
}

/** Pulling images from ECR (any account: images may be shared). */
const ECR_PULL: PolicyStatement = {
  Sid: 'PullImages',
  Effect: 'Allow',
  Action: [
    'ecr:GetAuthorizationToken',
    'ecr:BatchCheckLayerAvailability',
    'ecr:BatchGetImage',
    'ecr:GetDownloadUrlForLayer',
  ],
  Resource: '*',
};

/**
 * An etcd member: find and attach its own network interface (the plan's
 * fixed IP) and data volume, and read the etcd PKI. The attach is allowed
 * only where the interface, the volume and the instance all carry this
 * FLAG's and cell's tags and the member tag equals the role's own
 * `kitt:etcd-member` tag: member 1 cannot take member 2's disk.
 */
export function etcdMemberPolicy(scope: CellScope): PolicyDocument {
  return document(
    {
      Sid: 'FindOwnInterfaceAndVolume',
      Effect: 'Allow',
      Action: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeVolumes', 'ec2:DescribeInstances'],
      Resource: '*',
    },
    {
      Sid: 'AttachOwnInterfaceAndVolume',
      Effect: 'Allow',
      Action: ['ec2:AttachNetworkInterface', 'ec2:AttachVolume'],
      Resource: [
        arn(scope, 'ec2', 'network-interface/*'),
        arn(scope, 'ec2', 'volume/*'),
        arn(scope, 'ec2', 'instance/*'),
      ],
      Condition: {
        StringEquals: {
          [`aws:ResourceTag/${CELL_TAG_KEYS.etcdMember}`]: `\${aws:PrincipalTag/${CELL_TAG_KEYS.etcdMember}}`,
          [`aws:ResourceTag/${CELL_TAG_KEYS.cell}`]: scope.cell,
          [`aws:ResourceTag/${CELL_TAG_KEYS.flag}`]: scope.flag.id,
        },
      },
    },
    { Sid: 'ReadEtcdPki', Effect: 'Allow', Action: SSM_READ, Resource: ssmPathArns(scope, 'pki/etcd') },
    ...etcdSnapshotStatements(scope),
    PUT_KITT_METRICS,
  );
}

/** A worker: pull images, read the join path and the CA certificate. Flannel (kube-subnet-mgr) needs no AWS permission. */
export function workerPolicy(scope: CellScope): PolicyDocument {
  return document(
    ECR_PULL,
    { Sid: 'ReadJoinPath', Effect: 'Allow', Action: SSM_READ, Resource: ssmPathArns(scope, 'join') },
    {
      Sid: 'ReadClusterCaCertificate',
      Effect: 'Allow',
      Action: SSM_READ,
      Resource: arn(scope, 'ssm', `parameter${clusterCaCertificateParameterName(scope.flag, scope.cell)}`),
    },
  );
}

/**
 * The control plane: the cell's SSM parameters, and what the controllers
 * that run with `hostNetwork` on control-plane nodes need: the AWS cloud
 * controller manager (nodes, `LoadBalancer` services), the EBS CSI
 * controller (volumes, snapshots) and cluster-autoscaler (the worker group).
 * Changes are limited to resources tagged `kubernetes.io/cluster/<cluster>
 * = owned` (the EBS CSI driver must run with `--k8s-tag-cluster-id=<cluster>`),
 * and whatever kitt itself manages (`kitt:managed-by`) is off limits, but
 * for rules on the cell's nodes security group, which carries the cluster tag.
 * Cloud routes are not granted: pods use Flannel's vxlan, not VPC routes.
 */
export function controlPlanePolicy(scope: CellScope): PolicyDocument {
  const cluster = clusterName(scope.flag, scope.cell);
  const owned = { [`aws:ResourceTag/kubernetes.io/cluster/${cluster}`]: 'owned' };
  const tagsOwned = { [`aws:RequestTag/kubernetes.io/cluster/${cluster}`]: 'owned' };
  const ec2 = (resource: string) => arn(scope, 'ec2', resource);
  const elb = (resource: string) => arn(scope, 'elasticloadbalancing', resource);
  return document(
    { Sid: 'CellParameters', Effect: 'Allow', Action: [...SSM_READ, ...SSM_WRITE], Resource: ssmPathArns(scope) },
    ECR_PULL,
    PUT_KITT_METRICS,
    {
      Sid: 'Describe',
      Effect: 'Allow',
      Action: [
        'autoscaling:DescribeAutoScalingGroups',
        'autoscaling:DescribeAutoScalingInstances',
        'autoscaling:DescribeLaunchConfigurations',
        'autoscaling:DescribeScalingActivities',
        'autoscaling:DescribeTags',
        'ec2:DescribeAvailabilityZones',
        'ec2:DescribeImages',
        'ec2:DescribeInstanceTopology',
        'ec2:DescribeInstanceTypes',
        'ec2:DescribeInstances',
        'ec2:DescribeLaunchTemplateVersions',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeRegions',
        'ec2:DescribeRouteTables',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeSnapshots',
        'ec2:DescribeSubnets',
        'ec2:DescribeTags',
        'ec2:DescribeVolumes',
        'ec2:DescribeVolumesModifications',
        'ec2:DescribeVpcs',
        'ec2:GetInstanceTypesFromInstanceRequirements',
        'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeLoadBalancerAttributes',
        'elasticloadbalancing:DescribeLoadBalancerPolicies',
        'elasticloadbalancing:DescribeLoadBalancers',
        'elasticloadbalancing:DescribeTags',
        'elasticloadbalancing:DescribeTargetGroupAttributes',
        'elasticloadbalancing:DescribeTargetGroups',
        'elasticloadbalancing:DescribeTargetHealth',
      ],
      Resource: '*',
    },
    {
      Sid: 'CreateClusterVolumes',
      Effect: 'Allow',
      Action: ['ec2:CreateVolume', 'ec2:CreateSnapshot'],
      Resource: [ec2('volume/*'), ec2('snapshot/*')],
      Condition: { StringEquals: tagsOwned },
    },
    {
      Sid: 'TagWhileCreating',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: [ec2('volume/*'), ec2('snapshot/*'), ec2('security-group/*')],
      Condition: { StringEquals: { 'ec2:CreateAction': ['CreateVolume', 'CreateSnapshot', 'CreateSecurityGroup'] } },
    },
    {
      Sid: 'ChangeClusterVolumesAndInstances',
      Effect: 'Allow',
      Action: [
        'ec2:AttachVolume',
        'ec2:DetachVolume',
        'ec2:ModifyVolume',
        'ec2:DeleteVolume',
        'ec2:DeleteSnapshot',
        'ec2:ModifyInstanceAttribute',
      ],
      Resource: [ec2('volume/*'), ec2('snapshot/*'), ec2('instance/*')],
      Condition: { StringEquals: owned },
    },
    {
      Sid: 'LoadBalancerSecurityGroups',
      Effect: 'Allow',
      Action: 'ec2:CreateSecurityGroup',
      Resource: [ec2('security-group/*'), ec2('vpc/*')],
    },
    {
      Sid: 'ChangeClusterSecurityGroups',
      Effect: 'Allow',
      Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:DeleteSecurityGroup'],
      Resource: ec2('security-group/*'),
      Condition: { StringEquals: owned },
    },
    {
      Sid: 'ServiceLoadBalancers',
      Effect: 'Allow',
      Action: [
        'elasticloadbalancing:AddTags',
        'elasticloadbalancing:ApplySecurityGroupsToLoadBalancer',
        'elasticloadbalancing:AttachLoadBalancerToSubnets',
        'elasticloadbalancing:ConfigureHealthCheck',
        'elasticloadbalancing:CreateListener',
        'elasticloadbalancing:CreateLoadBalancer',
        'elasticloadbalancing:CreateLoadBalancerListeners',
        'elasticloadbalancing:CreateLoadBalancerPolicy',
        'elasticloadbalancing:CreateTargetGroup',
        'elasticloadbalancing:DeleteListener',
        'elasticloadbalancing:DeleteLoadBalancer',
        'elasticloadbalancing:DeleteLoadBalancerListeners',
        'elasticloadbalancing:DeleteTargetGroup',
        'elasticloadbalancing:DeregisterInstancesFromLoadBalancer',
        'elasticloadbalancing:DeregisterTargets',
        'elasticloadbalancing:DetachLoadBalancerFromSubnets',
        'elasticloadbalancing:ModifyListener',
        'elasticloadbalancing:ModifyLoadBalancerAttributes',
        'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:ModifyTargetGroupAttributes',
        'elasticloadbalancing:RegisterInstancesWithLoadBalancer',
        'elasticloadbalancing:RegisterTargets',
        'elasticloadbalancing:SetLoadBalancerPoliciesForBackendServer',
        'elasticloadbalancing:SetLoadBalancerPoliciesOfListener',
      ],
      Resource: [elb('loadbalancer/*'), elb('listener/*'), elb('targetgroup/*')],
    },
    {
      Sid: 'CreateLoadBalancerServiceLinkedRole',
      Effect: 'Allow',
      Action: 'iam:CreateServiceLinkedRole',
      Resource: arn(scope, 'iam', 'role/aws-service-role/elasticloadbalancing.amazonaws.com/*', false),
      Condition: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } },
    },
    {
      Sid: 'ScaleWorkers',
      Effect: 'Allow',
      Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
      Resource: arn(scope, 'autoscaling', 'autoScalingGroup:*:autoScalingGroupName/*'),
      Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${cluster}`]: 'owned' } },
    },
    {
      Sid: 'NeverChangeWhatKittManages',
      Effect: 'Deny',
      Action: [
        'ec2:AttachVolume',
        'ec2:DetachVolume',
        'ec2:ModifyVolume',
        'ec2:DeleteVolume',
        'ec2:CreateTags',
        'ec2:DeleteTags',
        'ec2:DeleteSecurityGroup',
        'elasticloadbalancing:AddTags',
        'elasticloadbalancing:RemoveTags',
        'elasticloadbalancing:DeleteLoadBalancer',
        'elasticloadbalancing:DeleteListener',
        'elasticloadbalancing:DeleteTargetGroup',
        'elasticloadbalancing:ModifyListener',
        'elasticloadbalancing:ModifyLoadBalancerAttributes',
        'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:ModifyTargetGroupAttributes',
        'elasticloadbalancing:RegisterTargets',
        'elasticloadbalancing:DeregisterTargets',
      ],
      Resource: '*',
      Condition: { StringEquals: { 'aws:ResourceTag/kitt:managed-by': MANAGED_BY } },
    },
    {
      // Of kitt's security groups, only the cell's nodes group (it carries the cluster tag) takes service rules.
      Sid: 'OpenOnlyTheCellNodesGroup',
      Effect: 'Deny',
      Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'],
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:ResourceTag/kitt:managed-by': MANAGED_BY },
        StringNotEquals: owned,
      },
    },
  );
}

/** Who may assume a node role: EC2, through the role's instance profile. */
export function ec2AssumeRolePolicy(): PolicyDocument {
  return document({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } });
}
