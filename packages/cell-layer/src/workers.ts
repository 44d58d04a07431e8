import type { Construct } from 'constructs';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import {
  CELL_TAG_KEYS,
  cellTags,
  clusterAutoscalerTags,
  clusterName,
  kubernetesClusterTag,
  resourceName,
} from '@kitt/flag-config';
import type { CellBootstrapConfig } from './bootstrap-contract';
import type { ResolvedCellStackConfig } from './config';
import { addNodeLaunchTemplate, propagatedTags } from './launch-template';
import type { CellNodeIam } from './node-iam';
import type { CellSecurityGroups } from './security-groups';
import { subnetIdOf } from './subnets';

/**
 * The workers: one Auto Scaling group over the cell's worker subnets in
 * the plan's round-robin order, sized by `flag.yaml` (min, max, instance
 * types; several types make a mixed-instances group, first preferred).
 * Desired capacity belongs to cluster-autoscaler, so Terraform ignores it
 * after creation (or every plan would show drift). The group carries the
 * autoscaler's discovery tags and the cluster tag, propagated to the
 * instances, and the launch template tags instances and volumes too.
 */
export function addWorkers(
  scope: Construct,
  config: ResolvedCellStackConfig,
  iam: CellNodeIam,
  groups: CellSecurityGroups,
  bootstrap: CellBootstrapConfig,
): AutoscalingGroup {
  const { flag, cellPlan, settings, flagOutputs } = config;
  const cell = cellPlan.name;
  const cluster = clusterName(flag, cell);
  const name = resourceName(flag, cell, 'worker');
  const instanceTags = {
    Name: name,
    ...cellTags(flag, cell),
    [CELL_TAG_KEYS.role]: 'worker',
    ...kubernetesClusterTag(cluster),
    ...clusterAutoscalerTags(cluster),
  };
  const [preferred, ...alternatives] = settings.workerInstanceTypes;
  const template = addNodeLaunchTemplate(scope, 'lt-worker', config, {
    name,
    instanceType: preferred as string,
    instanceProfileArn: iam.worker.profile.arn,
    securityGroupIds: [flagOutputs.securityGroupIds.clusterNodes, groups.nodes.id],
    userData: config.renderUserData('worker', bootstrap),
    tags: instanceTags,
  });
  const templateRef = { id: template.id, version: template.latestVersion.toString() };
  return new AutoscalingGroup(scope, 'asg-worker', {
    name,
    minSize: settings.workerMinSize,
    maxSize: settings.workerMaxSize,
    desiredCapacity: settings.workerMinSize,
    vpcZoneIdentifier: cellPlan.workerSubnets.map((cidr) => subnetIdOf(config, cidr)),
    ...(alternatives.length === 0
      ? { launchTemplate: templateRef }
      : {
          mixedInstancesPolicy: {
            launchTemplate: {
              launchTemplateSpecification: { launchTemplateId: templateRef.id, version: templateRef.version },
              override: settings.workerInstanceTypes.map((instanceType) => ({ instanceType })),
            },
            instancesDistribution: { onDemandPercentageAboveBaseCapacity: 100 },
          },
        }),
    healthCheckType: 'EC2',
    tag: propagatedTags(instanceTags),
    lifecycle: { ignoreChanges: ['desired_capacity'] },
  });
}
