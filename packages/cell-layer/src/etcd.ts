import type { Construct } from 'constructs';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { EbsVolume } from '@cdktf/provider-aws/lib/ebs-volume';
import { NetworkInterface } from '@cdktf/provider-aws/lib/network-interface';
import { CELL_TAG_KEYS, cellTags, resourceName } from '@kitt/flag-config';
import type { CellBootstrapConfig } from './bootstrap-contract';
import type { ResolvedCellStackConfig } from './config';
import { addNodeLaunchTemplate, propagatedTags } from './launch-template';
import type { CellNodeIam, NodeIdentity } from './node-iam';
import type { CellSecurityGroups } from './security-groups';
import { subnetIdOf } from './subnets';

export interface EtcdMemberResources {
  readonly networkInterface: NetworkInterface;
  readonly volume: EbsVolume;
  readonly group: AutoscalingGroup;
}

/**
 * The three etcd members, each where the plan puts it: an Auto Scaling
 * group of exactly one instance in the member's management subnet, and
 * beside it the member's network interface (the plan's fixed IP) and
 * encrypted data volume, which outlive instances. An ASG cannot name an
 * ENI, so the instance attaches both at boot, found by their tags
 * (`kitt:flag`, `kitt:cell`, `kitt:etcd-member`); its role may attach
 * nothing else.
 *
 * The groups have no instance refresh: a new launch template version
 * (a new Kubernetes version, a new image) replaces no member by itself.
 * Members are rolled one at a time, keeping quorum, as a day-2 operation.
 */
export function addEtcdMembers(
  scope: Construct,
  config: ResolvedCellStackConfig,
  iam: CellNodeIam,
  groups: CellSecurityGroups,
  bootstrap: CellBootstrapConfig,
): EtcdMemberResources[] {
  const { flag, cellPlan, settings } = config;
  const cell = cellPlan.name;
  return cellPlan.etcd.map((member, index) => {
    const name = resourceName(flag, cell, 'etcd', String(index));
    const memberTags = { ...cellTags(flag, cell), [CELL_TAG_KEYS.etcdMember]: String(index) };
    const subnetId = subnetIdOf(config, member.subnet);
    const networkInterface = new NetworkInterface(scope, `eni-etcd-${index}`, {
      subnetId,
      privateIps: [member.ip],
      securityGroups: [groups.etcd.id],
      description: `etcd member ${index} of cell ${cell} of ${flag.id}: its fixed address`,
      tags: { Name: name, ...memberTags },
    });
    const volume = new EbsVolume(scope, `volume-etcd-${index}`, {
      availabilityZone: member.zone,
      size: settings.etcdVolumeSizeGiB,
      type: 'gp3',
      encrypted: true,
      tags: { Name: name, ...memberTags },
    });
    const instanceTags = { Name: name, ...memberTags, [CELL_TAG_KEYS.role]: 'etcd' };
    const template = addNodeLaunchTemplate(scope, `lt-etcd-${index}`, config, {
      name,
      instanceType: settings.etcdInstanceType,
      instanceProfileArn: (iam.etcd[index] as NodeIdentity).profile.arn,
      securityGroupIds: [groups.etcd.id],
      userData: config.renderUserData('etcd', bootstrap, index),
      tags: instanceTags,
    });
    const group = new AutoscalingGroup(scope, `asg-etcd-${index}`, {
      name,
      minSize: 1,
      maxSize: 1,
      desiredCapacity: 1,
      vpcZoneIdentifier: [subnetId],
      launchTemplate: { id: template.id, version: template.latestVersion.toString() },
      healthCheckType: 'EC2',
      tag: propagatedTags(instanceTags),
      // The interface and volume must exist before the instance looks for them.
      dependsOn: [networkInterface, volume],
    });
    return { networkInterface, volume, group };
  });
}
