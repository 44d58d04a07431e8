import type { Construct } from 'constructs';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { DEFAULT_CONTROL_PLANE_NODES } from '@kitt/allocator';
import {
  KUBE_API_PORT,
  controlPlaneInstanceTags,
  cellApiDomain,
  cellTags,
  clusterName,
  kubernetesClusterTag,
  loadBalancerName,
  resourceName,
  targetGroupName,
} from '@kitt/flag-config';
import type { CellBootstrapConfig } from './bootstrap-contract';
import type { ResolvedCellStackConfig } from './config';
import { addNodeLaunchTemplate, propagatedTags } from './launch-template';
import type { CellNodeIam } from './node-iam';
import type { CellSecurityGroups } from './security-groups';
import { subnetIdOf } from './subnets';

export interface ControlPlane {
  readonly group: AutoscalingGroup;
  readonly loadBalancer: Lb;
  /** The API record `api.<cell>.<flag-id>.<domain>`. */
  readonly record: Route53Record;
}

/**
 * The controllers (API server, controller-manager, scheduler) in an Auto
 * Scaling group over the cell's management subnets, behind an internal
 * Network Load Balancer on 6443, and the cell's one API endpoint: an alias
 * record in the FLAG's private zone. The target group is of type
 * `instance` (the only kind an ASG attaches), health-checked on
 * `/readyz`, and does not preserve client IPs: an NLB does not hairpin a
 * packet back to the instance that sent it, which is what a controller's
 * own kubelet does when it talks to the API through the NLB.
 */
export function addControlPlane(
  scope: Construct,
  config: ResolvedCellStackConfig,
  iam: CellNodeIam,
  groups: CellSecurityGroups,
  bootstrap: CellBootstrapConfig,
): ControlPlane {
  const { flag, cellPlan, settings, flagOutputs } = config;
  const cell = cellPlan.name;
  const subnetIds = cellPlan.managementSubnets.map((cidr) => subnetIdOf(config, cidr));

  const loadBalancer = new Lb(scope, 'lb-api', {
    name: loadBalancerName(flag, cell, 'api'),
    internal: true,
    loadBalancerType: 'network',
    subnets: subnetIds,
    securityGroups: [flagOutputs.securityGroupIds.apiLoadBalancer],
    enableCrossZoneLoadBalancing: true,
    tags: { Name: resourceName(flag, cell, 'api'), ...cellTags(flag, cell) },
  });
  const targetGroup = new LbTargetGroup(scope, 'tg-api', {
    name: targetGroupName(flag, cell, 'api'),
    port: KUBE_API_PORT,
    protocol: 'TCP',
    targetType: 'instance',
    vpcId: flagOutputs.vpcId,
    preserveClientIp: 'false',
    deregistrationDelay: '30',
    healthCheck: {
      protocol: 'HTTPS',
      path: '/readyz',
      port: 'traffic-port',
      healthyThreshold: 2,
      unhealthyThreshold: 2,
      interval: 10,
    },
    tags: { Name: resourceName(flag, cell, 'api'), ...cellTags(flag, cell) },
  });
  new LbListener(scope, 'listener-api', {
    loadBalancerArn: loadBalancer.arn,
    port: KUBE_API_PORT,
    protocol: 'TCP',
    defaultAction: [{ type: 'forward', targetGroupArn: targetGroup.arn }],
  });
  const record = new Route53Record(scope, 'record-api', {
    zoneId: config.privateZoneId,
    name: cellApiDomain(flag, cell, config.domain),
    type: 'A',
    alias: { name: loadBalancer.dnsName, zoneId: loadBalancer.zoneId, evaluateTargetHealth: true },
  });

  const name = resourceName(flag, cell, 'control-plane');
  const instanceTags = {
    Name: name,
    ...controlPlaneInstanceTags(flag, cell),
    ...kubernetesClusterTag(clusterName(flag, cell)),
  };
  const template = addNodeLaunchTemplate(scope, 'lt-control-plane', config, {
    name,
    instanceType: settings.controlPlaneInstanceType,
    instanceProfileArn: iam.controlPlane.profile.arn,
    securityGroupIds: [flagOutputs.securityGroupIds.clusterNodes, groups.nodes.id, groups.controlPlane.id],
    userData: config.renderUserData('control-plane', bootstrap),
    tags: instanceTags,
  });
  const group = new AutoscalingGroup(scope, 'asg-control-plane', {
    name,
    minSize: DEFAULT_CONTROL_PLANE_NODES,
    maxSize: DEFAULT_CONTROL_PLANE_NODES,
    desiredCapacity: DEFAULT_CONTROL_PLANE_NODES,
    vpcZoneIdentifier: subnetIds,
    launchTemplate: { id: template.id, version: template.latestVersion.toString() },
    targetGroupArns: [targetGroup.arn],
    // EC2 health: an API server still starting (or waiting for the CAs) is not a dead instance.
    healthCheckType: 'EC2',
    tag: propagatedTags(instanceTags),
  });
  return { group, loadBalancer, record };
}
