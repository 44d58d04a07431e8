import type { Construct } from 'constructs';
import type { Block } from '@kitt/allocator';
import { NetworkAcl } from '@cdktf/provider-aws/lib/network-acl';
import type { ResolvedFlagStackConfig } from './config';
import { subnetsOfKind, type FlagNetwork } from './network';
import { resourceName } from '@kitt/flag-config';
import { tierAclRules, type AclTier, type TierAclRules } from './nacl-rules';

export interface TierAcl {
  readonly tier: AclTier;
  readonly rules: TierAclRules;
}

/** The rules of every tier's ACL; throws `NACL_RULE_LIMIT` (before the stack makes anything) when one would not fit. */
export function planTierAcls(config: ResolvedFlagStackConfig, subnetBlocks: readonly Block[]): TierAcl[] {
  const common = { flag: config.flag, blocks: subnetBlocks, ruleLimit: config.naclRuleLimit };
  return [
    {
      tier: 'data',
      rules: tierAclRules({ ...common, tier: 'data', portsField: 'datastorePorts', ports: config.datastorePorts }),
    },
    {
      tier: 'cache',
      rules: tierAclRules({ ...common, tier: 'cache', portsField: 'cachePorts', ports: config.cachePorts }),
    },
  ];
}

/**
 * One network ACL per tier (`nacl-data`, `nacl-cache`) on every subnet of
 * that tier. Rules are inline so that the whole ACL is one resource whose
 * plan diff shows the full rule set. Other subnets keep the VPC's default ACL.
 */
export function addTierAcls(
  scope: Construct,
  config: ResolvedFlagStackConfig,
  acls: readonly TierAcl[],
  network: FlagNetwork,
): void {
  for (const { tier, rules } of acls) {
    new NetworkAcl(scope, `nacl-${tier}`, {
      vpcId: network.vpc.id,
      subnetIds: subnetsOfKind(network, tier).map((subnet) => subnet.id),
      ingress: rules.ingress.map((rule) => ({ ...rule })),
      egress: rules.egress.map((rule) => ({ ...rule })),
      tags: { Name: resourceName(config.flag, tier) },
    });
  }
}
