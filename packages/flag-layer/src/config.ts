import type { NetworkPlan } from '@kitt/allocator';
import type { Flag, OrgConfig } from '@kitt/flag-config';
import { FlagLayerError } from './errors';

/** A TCP port, or an inclusive range of them (`{ from: 9092, to: 9094 }`). */
export type PortRange = number | { readonly from: number; readonly to: number };

/** Everything a `FlagStack` is built from; it reads no files and no environment. */
export interface FlagStackConfig {
  /** The FLAG, loaded and normalised by `@kitt/flag-config`. */
  readonly flag: Flag;
  /** `flags/org.yaml`, normalised: state bucket, domain, flow log retention. */
  readonly org: OrgConfig;
  /** The FLAG's network plan: the only source of addresses. */
  readonly plan: NetworkPlan;
  /**
   * TCP ports the data subnets accept from the node and compute subnets.
   * @default [5432, 3306] (PostgreSQL, MySQL)
   */
  readonly datastorePorts?: readonly PortRange[];
  /**
   * TCP ports the cache subnets accept from the node and compute subnets.
   * @default [6379, 11211, { from: 9092, to: 9094 }] (Redis, Memcached, Kafka)
   */
  readonly cachePorts?: readonly PortRange[];
  /**
   * Rules allowed per network ACL and direction. Raise it only after raising
   * the AWS quota "Rules per network ACL" (at most 40).
   * @default 20 (the AWS default)
   */
  readonly naclRuleLimit?: number;
}

export const DEFAULT_DATASTORE_PORTS: readonly PortRange[] = [5432, 3306];
export const DEFAULT_CACHE_PORTS: readonly PortRange[] = [6379, 11211, { from: 9092, to: 9094 }];
export const DEFAULT_NACL_RULE_LIMIT = 20;

/** `FlagStackConfig` with every default filled in and every port checked. */
export type ResolvedFlagStackConfig = Required<FlagStackConfig>;

export function resolveFlagStackConfig(config: FlagStackConfig): ResolvedFlagStackConfig {
  const resolved: ResolvedFlagStackConfig = {
    ...config,
    datastorePorts: config.datastorePorts ?? DEFAULT_DATASTORE_PORTS,
    cachePorts: config.cachePorts ?? DEFAULT_CACHE_PORTS,
    naclRuleLimit: config.naclRuleLimit ?? DEFAULT_NACL_RULE_LIMIT,
  };
  checkPorts(config.flag, 'datastorePorts', resolved.datastorePorts);
  checkPorts(config.flag, 'cachePorts', resolved.cachePorts);
  checkPlanMatchesFlag(config.flag, config.plan);
  return resolved;
}

export function portBounds(port: PortRange): { readonly from: number; readonly to: number } {
  return typeof port === 'number' ? { from: port, to: port } : port;
}

function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

function checkPorts(flag: Flag, field: string, ports: readonly PortRange[]): void {
  ports.forEach((port, index) => {
    const { from, to } = portBounds(port);
    if (!isPort(from) || !isPort(to) || from > to) {
      throw new FlagLayerError({
        code: 'PORT_INVALID',
        file: flag.file,
        path: `${field}[${index}]`,
        message: `${field}[${index}] of the flag stack of ${flag.id} is not a TCP port or range.`,
        received: port,
        expected: 'an integer 1-65535, or { from, to } with from <= to',
      });
    }
  });
}

/** The plan must be the plan of this FLAG: a stack built on another FLAG's plan would move every subnet. */
function checkPlanMatchesFlag(flag: Flag, plan: NetworkPlan): void {
  const mismatch = (path: string, received: unknown, expected: string): never => {
    throw new FlagLayerError({
      code: 'PLAN_MISMATCH',
      file: flag.file,
      path,
      message: `The network plan given to the flag stack of ${flag.id} is not this FLAG's plan (${path} differs).`,
      received,
      expected,
    });
  };
  if (plan.vpcCidr !== flag.network.vpcCidr) mismatch('network.vpcCidr', plan.vpcCidr, flag.network.vpcCidr);
  if (plan.zones.join(',') !== flag.network.zones.join(',')) {
    mismatch('network.zones', plan.zones, flag.network.zones.join(', '));
  }
  for (const zone of plan.zones) {
    if (!plan.blocks.some((block) => block.kind === 'public' && block.zone === zone)) {
      mismatch('network.zones', zone, `a public block in ${zone} for its NAT gateway`);
    }
  }
}
