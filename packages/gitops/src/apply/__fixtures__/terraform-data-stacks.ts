/**
 * A test stack factory for the real terraform binary, which can download no provider: each FLAG's flag stack and
 * one stack per cell, named by the naming module, with kitt's state backend (`addStateBackend`), kitt's outputs
 * (`addFlagOutputs`, `addCellOutputs`) and kitt's cross-stack wiring (a cell reads the flag stack's typed outputs,
 * which cdktf turns into a `terraform_remote_state` lookup in the state store and a dependency in the manifest),
 * but `terraform_data` in place of every AWS resource.
 */
import type { Construct } from 'constructs';
import { DataResource, TerraformStack } from 'cdktf';
import { SUBNET_KINDS, type NetworkPlan } from '@kitt/allocator';
import { addCellOutputs } from '@kitt/cell-layer';
import {
  KUBE_API_PORT,
  clusterCaCertificateParameterName,
  clusterName,
  stackName,
  type Flag,
  type OrgConfig,
} from '@kitt/flag-config';
import {
  addFlagOutputs,
  addStateBackend,
  emptySubnetIdsByKind,
  type FlagStackOutputs,
  type SubnetKind,
} from '@kitt/flag-layer';
import type { ComposedStack, FlagAppComposer } from '../../synth/compose';

const data = (scope: Construct, id: string, input: Record<string, unknown>) => new DataResource(scope, id, { input });

/** The flag stack's stand-in: a VPC, its subnets and base security groups as `terraform_data`, with the real outputs. */
function flagStack(app: Construct, flag: Flag, org: OrgConfig, plan: NetworkPlan) {
  const stack = new TerraformStack(app, stackName(flag, 'flag'));
  addStateBackend(stack, flag, org.state, 'flag');
  const vpc = data(stack, 'vpc', { cidr: plan.vpcCidr, zones: plan.zones });
  const subnetIds: Record<string, string> = {};
  const subnetIdsByKind = emptySubnetIdsByKind();
  for (const block of plan.blocks.filter((b) => SUBNET_KINDS.includes(b.kind))) {
    const id = data(stack, `subnet-${block.name.replaceAll('/', '-')}`, { vpc: vpc.id, cidr: block.cidr }).id;
    subnetIds[block.name] = id;
    const byZone = subnetIdsByKind[block.kind as SubnetKind];
    byZone[block.zone] = [...(byZone[block.zone] ?? []), id];
  }
  const group = (name: string) => data(stack, `security-group-${name}`, { vpc: vpc.id, name }).id;
  const outputs: FlagStackOutputs = {
    vpcId: vpc.id,
    subnetIds,
    subnetIdsByKind,
    securityGroupIds: {
      clusterNodes: group('cluster-nodes'),
      datastoreClients: group('datastore-clients'),
      apiLoadBalancer: group('api-load-balancer'),
    },
    natPublicIps: {},
    etcdSnapshotBucket: data(stack, 'etcd-snapshots', { name: `${flag.id}-etcd` }).id,
    etcdSnapshotKeyArn: data(stack, 'etcd-snapshot-key', { alias: `${flag.id}-etcd-snapshots` }).id,
  };
  addFlagOutputs(stack, outputs);
  return { stack, outputs };
}

/** A cell's stand-in: its nodes as one `terraform_data` built from the flag stack's outputs (read from its state). */
function cellStack(app: Construct, flag: Flag, org: OrgConfig, plan: NetworkPlan, cell: string, flagOutputs: FlagStackOutputs) {
  const stack = new TerraformStack(app, stackName(flag, 'cell', cell));
  addStateBackend(stack, flag, org.state, 'cell', cell);
  const cellPlan = plan.cells.find((c) => c.name === cell);
  if (!cellPlan) throw new Error(`the network plan of ${flag.id} has no cell ${cell}`);
  const subnetOf = (cidr: string) => {
    const block = plan.blocks.find((b) => b.cidr === cidr);
    return block ? flagOutputs.subnetIds[block.name] : undefined;
  };
  const nodes = data(stack, 'nodes', {
    vpc: flagOutputs.vpcId,
    securityGroup: flagOutputs.securityGroupIds.clusterNodes,
    managementSubnets: cellPlan.managementSubnets.map(subnetOf),
    workerSubnets: cellPlan.workerSubnets.map(subnetOf),
    serviceCidr: cellPlan.serviceCidr,
    workerMaxSize: flag.cells.find((c) => c.name === cell)?.workerMaxSize ?? null,
  });
  addCellOutputs(stack, {
    apiEndpoint: `https://${nodes.id}.${flag.id}.invalid:${KUBE_API_PORT}`,
    clusterName: clusterName(flag, cell),
    caCertificateParameterName: clusterCaCertificateParameterName(flag, cell),
  });
  return stack;
}

/** `composeFlagApp`'s stacks, names, backend, outputs and wiring, over `terraform_data`. */
export const composeTerraformDataApp: FlagAppComposer = (app, { flag, org, plan }) => {
  const flagLayer = flagStack(app, flag, org, plan);
  const cells = flag.cells.map(
    ({ name }): ComposedStack => ({
      stack: cellStack(app, flag, org, plan, name, flagLayer.outputs),
      layer: 'cell',
      cell: name,
    }),
  );
  return [{ stack: flagLayer.stack, layer: 'flag' }, ...cells];
};
