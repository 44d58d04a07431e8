import { cellApiDomain, cellKmsAliasName, cellSsmPrefix, clusterName, etcdSnapshotBucketName } from '@kitt/flag-config';
import type { CellBootstrapConfig } from './bootstrap-contract';
import type { ResolvedCellStackConfig } from './config';

/** What node bootstrap is rendered from: the plan's addresses and the cell's settings, no resource id. */
export function cellBootstrapConfig(config: ResolvedCellStackConfig): CellBootstrapConfig {
  const { flag, cellPlan, settings } = config;
  const cell = cellPlan.name;
  return {
    flagId: flag.id,
    cell,
    clusterName: clusterName(flag, cell),
    region: flag.region,
    kubernetesVersion: settings.kubernetesVersion,
    serviceCidr: cellPlan.serviceCidr,
    apiServiceIp: cellPlan.apiServiceIp,
    dnsServiceIp: cellPlan.dnsServiceIp,
    podCidr: cellPlan.podCidr,
    nodePodPrefix: cellPlan.nodePodPrefix,
    etcdMembers: cellPlan.etcd.map((member, index) => ({ index, ip: member.ip, zone: member.zone })),
    apiEndpoint: cellApiDomain(flag, cell, config.domain),
    ssmPrefix: cellSsmPrefix(flag, cell),
    kmsKeyAlias: cellKmsAliasName(flag, cell),
    etcdSnapshotBucket: etcdSnapshotBucketName(flag),
    adminRoleArns: config.applyRoleArn === undefined ? [] : [config.applyRoleArn],
    readOnlyRoleArns: config.planRoleArn === undefined ? [] : [config.planRoleArn],
    teams: (flag.teams ?? []).map((team) => ({ name: team.name, roleArns: team.roleArns })),
  };
}
