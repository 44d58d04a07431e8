import type { Construct } from 'constructs';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { clusterName, kubernetesClusterTag, resourceName } from '@kitt/flag-config';
import type { ResolvedCellStackConfig } from './config';

/** etcd's client port (the API servers) and peer port (the members). */
export const ETCD_CLIENT_PORT = 2379;
export const ETCD_PEER_PORT = 2380;

export interface CellSecurityGroups {
  /** The etcd members, their instances and their fixed-IP interfaces. Not in the FLAG's cluster-nodes group. */
  readonly etcd: SecurityGroup;
  /** The cell's control plane (beside the FLAG's cluster-nodes group): the only etcd clients. */
  readonly controlPlane: SecurityGroup;
  /**
   * Every Kubernetes node of the cell (control plane and workers), tagged
   * `kubernetes.io/cluster/<cluster>`: the group the cloud controller
   * manager opens to a `LoadBalancer` service's traffic, so it never edits
   * the FLAG's shared cluster-nodes group. No rules of its own.
   */
  readonly nodes: SecurityGroup;
}

/**
 * The cell's own groups. etcd stays out of the flag layer's cluster-nodes
 * group, which allows all traffic between nodes: 2379 is open to this
 * cell's control plane only and 2380 between the members only. No group
 * opens SSH: shell access is Session Manager's.
 */
export function addCellSecurityGroups(scope: Construct, config: ResolvedCellStackConfig): CellSecurityGroups {
  const { flag, cellPlan, flagOutputs } = config;
  const cell = cellPlan.name;
  const group = (id: string, name: string, description: string, tags: Record<string, string> = {}) =>
    new SecurityGroup(scope, id, {
      vpcId: flagOutputs.vpcId,
      name: resourceName(flag, cell, name),
      description,
      tags: { Name: resourceName(flag, cell, name), ...tags },
    });
  const etcd = group('sg-etcd', 'etcd', `etcd members of cell ${cell} of ${flag.id}`);
  const controlPlane = group('sg-control-plane', 'control-plane', `Control plane of cell ${cell} of ${flag.id}`);
  const nodes = group(
    'sg-nodes',
    'nodes',
    `Kubernetes nodes of cell ${cell} of ${flag.id}: load balancer rules of the cloud controller manager`,
    kubernetesClusterTag(clusterName(flag, cell)),
  );

  new VpcSecurityGroupIngressRule(scope, 'sgr-etcd-client-from-control-plane', {
    securityGroupId: etcd.id,
    description: 'etcd clients: the API servers of this cell',
    ipProtocol: 'tcp',
    fromPort: ETCD_CLIENT_PORT,
    toPort: ETCD_CLIENT_PORT,
    referencedSecurityGroupId: controlPlane.id,
  });
  new VpcSecurityGroupIngressRule(scope, 'sgr-etcd-peer-from-etcd', {
    securityGroupId: etcd.id,
    description: 'etcd peers: the other members',
    ipProtocol: 'tcp',
    fromPort: ETCD_PEER_PORT,
    toPort: ETCD_PEER_PORT,
    referencedSecurityGroupId: etcd.id,
  });
  new VpcSecurityGroupEgressRule(scope, 'sgr-etcd-to-etcd-peer', {
    securityGroupId: etcd.id,
    description: 'etcd peers: the other members',
    ipProtocol: 'tcp',
    fromPort: ETCD_PEER_PORT,
    toPort: ETCD_PEER_PORT,
    referencedSecurityGroupId: etcd.id,
  });
  for (const [port, why] of [
    [443, 'AWS APIs (EC2, SSM) and package repositories over HTTPS'],
    [80, 'Debian package mirrors (signed indexes over HTTP)'],
  ] as const) {
    new VpcSecurityGroupEgressRule(scope, `sgr-etcd-to-anywhere-${port}`, {
      securityGroupId: etcd.id,
      description: why,
      ipProtocol: 'tcp',
      fromPort: port,
      toPort: port,
      cidrIpv4: '0.0.0.0/0',
    });
  }
  new VpcSecurityGroupEgressRule(scope, 'sgr-control-plane-to-etcd-client', {
    securityGroupId: controlPlane.id,
    description: 'The API servers reach etcd',
    ipProtocol: 'tcp',
    fromPort: ETCD_CLIENT_PORT,
    toPort: ETCD_CLIENT_PORT,
    referencedSecurityGroupId: etcd.id,
  });
  return { etcd, controlPlane, nodes };
}
