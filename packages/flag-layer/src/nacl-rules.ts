import { summarizeCidrs, type Block, type BlockKind } from '@kitt/allocator';
import type { Flag } from '@kitt/flag-config';
import { FlagLayerError } from './errors';
import { portBounds, type PortRange } from './config';

/** The tiers that get their own network ACL; the other subnets keep the VPC's default ACL. */
export type AclTier = 'data' | 'cache';

/** Subnets whose hosts may reach a tier: the nodes of every cell and the compute subnets. */
export const ACL_SOURCE_KINDS: readonly BlockKind[] = ['management', 'worker', 'compute'];

/** Return traffic to clients (Linux uses 32768-60999; AWS recommends the wider range). */
export const EPHEMERAL_PORTS = { from: 1024, to: 65535 } as const;

/** One allow rule of a network ACL, in the shape of the provider's `ingress`/`egress` blocks. */
export interface AclRule {
  readonly ruleNo: number;
  readonly action: 'allow';
  readonly protocol: 'tcp';
  readonly cidrBlock: string;
  readonly fromPort: number;
  readonly toPort: number;
}

export interface TierAclRules {
  readonly ingress: readonly AclRule[];
  readonly egress: readonly AclRule[];
}

export interface TierAclInput {
  readonly flag: Flag;
  readonly tier: AclTier;
  /** The config field the ports came from, for errors (`datastorePorts`, `cachePorts`). */
  readonly portsField: string;
  readonly ports: readonly PortRange[];
  readonly blocks: readonly Block[];
  readonly ruleLimit: number;
}

const FIRST_RULE = 100;
const RULE_STEP = 10;

/**
 * The allow rules of a tier's ACL: in, the tier's ports from every source
 * range; out, ephemeral ports back to every source range. Network ACLs are
 * stateless, hence the second half. Anything else hits the ACL's final `*`
 * rule, which AWS makes and which denies. Sources are the plan's node and
 * compute blocks, merged where adjacent (a cell's management and worker
 * /24s are one /23) so that a full grid fits in AWS's 20 rules.
 */
export function tierAclRules(input: TierAclInput): TierAclRules {
  const sources = summarizeCidrs(
    input.blocks.filter((block) => ACL_SOURCE_KINDS.includes(block.kind)).map((block) => block.cidr),
  );
  const ingress = input.ports.flatMap((port) => sources.map((cidr) => ({ cidr, ...portBounds(port) })));
  checkLimit(
    input,
    'inbound',
    ingress.length,
    `${input.ports.length} port ranges × ${sources.length} source ranges`,
    sources,
  );
  const egress = sources.map((cidr) => ({ cidr, ...EPHEMERAL_PORTS }));
  checkLimit(input, 'outbound', egress.length, `${sources.length} source ranges`, sources);
  return { ingress: numbered(ingress), egress: numbered(egress) };
}

function numbered(rules: readonly { cidr: string; from: number; to: number }[]): AclRule[] {
  return rules.map((rule, index) => ({
    ruleNo: FIRST_RULE + index * RULE_STEP,
    action: 'allow',
    protocol: 'tcp',
    cidrBlock: rule.cidr,
    fromPort: rule.from,
    toPort: rule.to,
  }));
}

function checkLimit(
  input: TierAclInput,
  direction: string,
  count: number,
  why: string,
  sources: readonly string[],
): void {
  if (count <= input.ruleLimit) return;
  throw new FlagLayerError({
    code: 'NACL_RULE_LIMIT',
    file: input.flag.file,
    path: input.portsField,
    message:
      `The ${input.tier} network ACL of FLAG ${input.flag.id} would need ${count} ${direction} rules ` +
      `(${why}; sources ${sources.join(', ')}), more than the ${input.ruleLimit} AWS allows per direction. ` +
      `List fewer ${input.portsField} (or ranges instead of single ports), or raise naclRuleLimit after raising the AWS quota.`,
    received: count,
    expected: `at most ${input.ruleLimit} ${direction} rules`,
  });
}
