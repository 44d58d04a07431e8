import type { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { SUBNET_KINDS } from '@kitt/allocator';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { resolveFlagStackConfig, type FlagStackConfig } from './config';
import { addFlagDns } from './dns';
import { addEtcdSnapshotStore } from './etcd-snapshots';
import { FlagLayerError } from './errors';
import { addFlowLogs } from './flow-logs';
import { addTierAcls, planTierAcls } from './nacls';
import { addNetwork } from './network';
import { defaultTags, stackName } from '@kitt/flag-config';
import { addFlagOutputs, emptySubnetIdsByKind, type FlagStackOutputs, type SubnetKind } from './outputs';
import { addBaseSecurityGroups } from './security-groups';
import { addStateBackend } from './state-backend';

/**
 * The flag layer of one FLAG (stack `<flag-id>-flag`): its VPC and
 * everything administrative that the cells stand on. Addresses come only
 * from `config.plan`. Build it as
 * `new FlagStack(app, stackName(flag, 'flag'), config)`.
 */
export class FlagStack extends TerraformStack {
  /** References to this stack's resources, for the cell layer. */
  readonly outputs: FlagStackOutputs;

  constructor(scope: Construct, id: string, config: FlagStackConfig) {
    const expectedId = stackName(config.flag, 'flag');
    if (id !== expectedId) {
      throw new FlagLayerError({
        code: 'STACK_NAME_MISMATCH',
        file: config.flag.file,
        path: '',
        message: `The flag stack of ${config.flag.id} must be named ${expectedId} (received ${id}).`,
        received: id,
        expected: expectedId,
      });
    }
    // Check everything that can fail before the stack exists, so a bad input leaves no half-built App.
    const resolved = resolveFlagStackConfig(config);
    const { flag, org, plan } = resolved;
    const subnetBlocks = plan.blocks.filter((block) => SUBNET_KINDS.includes(block.kind));
    const acls = planTierAcls(resolved, subnetBlocks);
    super(scope, id);

    new AwsProvider(this, 'aws', {
      region: flag.region,
      allowedAccountIds: [flag.aws.accountId],
      defaultTags: [{ tags: defaultTags(flag, 'flag') }],
    });
    addStateBackend(this, flag, org.state, 'flag');

    const network = addNetwork(this, flag, plan);
    addTierAcls(this, resolved, acls, network);
    const groups = addBaseSecurityGroups(this, flag, network.vpc, plan);
    addFlowLogs(this, flag, org, network.vpc);
    const dns = org.domain === undefined ? undefined : addFlagDns(this, flag, org.domain, network.vpc);
    const snapshots = addEtcdSnapshotStore(this, flag);

    const subnetIds: Record<string, string> = {};
    const subnetIdsByKind = emptySubnetIdsByKind();
    for (const block of network.subnetBlocks) {
      const id = network.subnets.get(block.name)?.id;
      if (id === undefined) continue;
      subnetIds[block.name] = id;
      const byZone = subnetIdsByKind[block.kind as SubnetKind];
      byZone[block.zone] = [...(byZone[block.zone] ?? []), id];
    }
    this.outputs = {
      vpcId: network.vpc.id,
      subnetIds,
      subnetIdsByKind,
      securityGroupIds: {
        clusterNodes: groups.clusterNodes.id,
        datastoreClients: groups.datastoreClients.id,
        apiLoadBalancer: groups.apiLoadBalancer.id,
      },
      ...(dns === undefined ? {} : { certificateArn: dns.certificateArn, privateZoneId: dns.privateZoneId }),
      natPublicIps: Object.fromEntries([...network.natEips].map(([zone, eip]) => [zone, eip.publicIp])),
      etcdSnapshotBucket: snapshots.bucket.bucket,
      etcdSnapshotKeyArn: snapshots.key.arn,
    };
    addFlagOutputs(this, this.outputs);
  }
}
