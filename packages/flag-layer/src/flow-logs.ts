import type { Construct } from 'constructs';
import { Fn } from 'cdktf';
import type { Flag, OrgConfig } from '@kitt/flag-config';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { awsPartition, flowLogGroupName, iamRoleName, resourceName } from '@kitt/flag-config';

/**
 * Flow logs of the whole VPC (accepted and rejected traffic) to a CloudWatch
 * Logs group kept `org.flowLogRetentionDays`, with the role the flow log
 * service assumes to write there, scoped to this account's flow logs.
 */
export function addFlowLogs(scope: Construct, flag: Flag, org: OrgConfig, vpc: Vpc): void {
  const group = new CloudwatchLogGroup(scope, 'flow-log-group', {
    name: flowLogGroupName(flag),
    retentionInDays: org.flowLogRetentionDays,
  });
  const role = new IamRole(scope, 'flow-log-role', {
    name: iamRoleName(flag, 'vpc-flow-logs'),
    assumeRolePolicy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
          Action: 'sts:AssumeRole',
          // Confused deputy: only flow logs of this account and region may use the role.
          Condition: {
            StringEquals: { 'aws:SourceAccount': flag.aws.accountId },
            ArnLike: {
              'aws:SourceArn': `arn:${awsPartition(flag.region)}:ec2:${flag.region}:${flag.aws.accountId}:vpc-flow-log/*`,
            },
          },
        },
      ],
    }),
    tags: { Name: iamRoleName(flag, 'vpc-flow-logs') },
  });
  new IamRolePolicy(scope, 'flow-log-role-policy', {
    name: 'write-flow-logs',
    role: role.id,
    policy: Fn.jsonencode({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          Resource: [group.arn, `${group.arn}:*`],
        },
        { Effect: 'Allow', Action: 'logs:DescribeLogGroups', Resource: '*' },
      ],
    }),
  });
  new FlowLog(scope, 'flow-log', {
    vpcId: vpc.id,
    trafficType: 'ALL',
    logDestinationType: 'cloud-watch-logs',
    logDestination: group.arn,
    iamRoleArn: role.arn,
    tags: { Name: resourceName(flag, 'vpc') },
  });
}
