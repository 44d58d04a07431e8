import type { Construct } from 'constructs';
import type { NetworkPlan } from '@kitt/allocator';
import type { Flag } from '@kitt/flag-config';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import type { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { KUBE_API_PORT, resourceName } from '@kitt/flag-config';

export interface BaseSecurityGroups {
  /** Every node of every cell (control plane and workers). */
  readonly clusterNodes: SecurityGroup;
  /** Members may reach datastores and caches whose own groups allow this one. */
  readonly datastoreClients: SecurityGroup;
  /** The Kubernetes API load balancers of the cells. */
  readonly apiLoadBalancer: SecurityGroup;
}

/**
 * The three base security groups every cell builds on. Rules are separate
 * `aws_vpc_security_group_*_rule` resources (the provider's advice, and the
 * nodes ↔ load balancer references would be a cycle inline). The cell layer
 * adds its own rules to these groups; it does not replace them.
 */
export function addBaseSecurityGroups(scope: Construct, flag: Flag, vpc: Vpc, plan: NetworkPlan): BaseSecurityGroups {
  const group = (id: string, name: string, description: string): SecurityGroup =>
    new SecurityGroup(scope, id, {
      vpcId: vpc.id,
      name: resourceName(flag, name),
      description,
      tags: { Name: resourceName(flag, name) },
    });
  const clusterNodes = group('sg-cluster-nodes', 'cluster-nodes', `Kubernetes nodes of every cell of ${flag.id}`);
  const datastoreClients = group(
    'sg-datastore-clients',
    'datastore-clients',
    `Clients of datastores and caches of ${flag.id}: datastores allow their ports from this group`,
  );
  const apiLoadBalancer = group('sg-api-lb', 'api-lb', `Kubernetes API load balancers of the cells of ${flag.id}`);

  new VpcSecurityGroupIngressRule(scope, 'sgr-cluster-nodes-from-cluster-nodes', {
    securityGroupId: clusterNodes.id,
    description: 'Node to node: kubelet, overlay network, etcd, API server',
    ipProtocol: '-1',
    referencedSecurityGroupId: clusterNodes.id,
  });
  new VpcSecurityGroupIngressRule(scope, 'sgr-cluster-nodes-from-api-lb', {
    securityGroupId: clusterNodes.id,
    description: 'Kubernetes API from its load balancers',
    ipProtocol: 'tcp',
    fromPort: KUBE_API_PORT,
    toPort: KUBE_API_PORT,
    referencedSecurityGroupId: apiLoadBalancer.id,
  });
  new VpcSecurityGroupEgressRule(scope, 'sgr-cluster-nodes-to-anywhere', {
    securityGroupId: clusterNodes.id,
    description: 'Nodes reach AWS APIs, registries and datastores (network ACLs and routes narrow it)',
    ipProtocol: '-1',
    cidrIpv4: '0.0.0.0/0',
  });
  new VpcSecurityGroupIngressRule(scope, 'sgr-api-lb-from-vpc', {
    securityGroupId: apiLoadBalancer.id,
    description: 'Kubernetes API from inside the VPC',
    ipProtocol: 'tcp',
    fromPort: KUBE_API_PORT,
    toPort: KUBE_API_PORT,
    cidrIpv4: plan.vpcCidr,
  });
  new VpcSecurityGroupEgressRule(scope, 'sgr-api-lb-to-cluster-nodes', {
    securityGroupId: apiLoadBalancer.id,
    description: 'Kubernetes API on the control plane nodes',
    ipProtocol: 'tcp',
    fromPort: KUBE_API_PORT,
    toPort: KUBE_API_PORT,
    referencedSecurityGroupId: clusterNodes.id,
  });
  return { clusterNodes, datastoreClients, apiLoadBalancer };
}
