import { paymentsProd, planOf, searchProd } from './__fixtures__/examples';
import { DEFAULT_CACHE_PORTS, DEFAULT_DATASTORE_PORTS } from './config';
import { tierAclRules, type TierAclInput } from './nacl-rules';

const input = (overrides: Partial<TierAclInput> = {}): TierAclInput => ({
  flag: paymentsProd,
  tier: 'data',
  portsField: 'datastorePorts',
  ports: DEFAULT_DATASTORE_PORTS,
  blocks: planOf(paymentsProd).blocks,
  ruleLimit: 20,
  ...overrides,
});

/** Node ranges of cells a1, b1, c1 (management + worker /24s as one /23) and the three compute /20s. */
const PAYMENTS_PROD_SOURCES = [
  '10.0.32.0/20',
  '10.0.80.0/20',
  '10.0.128.0/20',
  '10.0.192.0/23',
  '10.0.196.0/23',
  '10.0.200.0/23',
];

describe('tierAclRules', () => {
  it('allows each datastore port from every node and compute range, and nothing else in', () => {
    const { ingress } = tierAclRules(input());
    expect(ingress.map((rule) => `${rule.protocol} ${rule.fromPort}-${rule.toPort} ${rule.cidrBlock}`)).toEqual([
      ...PAYMENTS_PROD_SOURCES.map((cidr) => `tcp 5432-5432 ${cidr}`),
      ...PAYMENTS_PROD_SOURCES.map((cidr) => `tcp 3306-3306 ${cidr}`),
    ]);
    expect(ingress.every((rule) => rule.action === 'allow')).toBe(true);
  });

  it('lets replies go out to the same ranges on ephemeral ports only', () => {
    const { egress } = tierAclRules(input());
    expect(egress.map((rule) => `${rule.protocol} ${rule.fromPort}-${rule.toPort} ${rule.cidrBlock}`)).toEqual(
      PAYMENTS_PROD_SOURCES.map((cidr) => `tcp 1024-65535 ${cidr}`),
    );
  });

  it('allows cache and messaging ports, with Kafka as one range', () => {
    const { ingress } = tierAclRules(input({ tier: 'cache', portsField: 'cachePorts', ports: DEFAULT_CACHE_PORTS }));
    expect([...new Set(ingress.map((rule) => `${rule.fromPort}-${rule.toPort}`))]).toEqual([
      '6379-6379',
      '11211-11211',
      '9092-9094',
    ]);
    expect(ingress).toHaveLength(3 * PAYMENTS_PROD_SOURCES.length);
  });

  it('takes no data, cache or public subnet as a source', () => {
    const plan = planOf(searchProd);
    const denied = plan.blocks
      .filter((block) => ['data', 'cache', 'public'].includes(block.kind))
      .map((block) => block.cidr);
    const { ingress } = tierAclRules(input({ flag: searchProd, blocks: plan.blocks }));
    expect(ingress.filter((rule) => denied.includes(rule.cidrBlock))).toEqual([]);
    expect(ingress.map((rule) => rule.cidrBlock)).not.toContain('0.0.0.0/0');
  });

  it.each([
    ['every slot used', [1, 2, 1, 2, 1, 2]],
    ['one slot per zone, unmergeable neighbours', [2, 1, 2]],
  ])('fits the default ports in 20 rules for a grid with %s', (_case, slots) => {
    const zones = paymentsProd.network.zones;
    const cells = slots.map((slot, index) => ({
      name: `c${index}`,
      zone: zones[Math.floor((index * zones.length) / slots.length)],
      slot: slot as 1 | 2,
    }));
    const flag = { ...paymentsProd, cells };
    for (const [tier, portsField, ports] of [
      ['data', 'datastorePorts', DEFAULT_DATASTORE_PORTS],
      ['cache', 'cachePorts', DEFAULT_CACHE_PORTS],
    ] as const) {
      const { ingress } = tierAclRules(input({ flag, tier, portsField, ports, blocks: planOf(flag).blocks }));
      expect(ingress.length).toBeLessThanOrEqual(18);
    }
  });

  it('numbers rules from 100 in steps of 10', () => {
    const { ingress } = tierAclRules(input());
    expect(ingress.map((rule) => rule.ruleNo)).toEqual(ingress.map((_, index) => 100 + 10 * index));
  });

  it('refuses a configuration that needs more than 20 rules in one direction', () => {
    const ports = [5432, 3306, 1433, 1521];
    expect(() => tierAclRules(input({ ports }))).toThrow(
      expect.objectContaining({
        code: 'NACL_RULE_LIMIT',
        file: 'flags/payments/prod/us-east-1/flag.yaml',
        path: 'datastorePorts',
        received: 24,
        message: expect.stringMatching(
          /data network ACL of FLAG payments-prod-us-east-1 would need 24 inbound rules \(4 port ranges × 6 source ranges/,
        ),
      }),
    );
  });

  it('accepts more rules when the limit is raised', () => {
    expect(tierAclRules(input({ ports: [5432, 3306, 1433, 1521], ruleLimit: 40 })).ingress).toHaveLength(24);
  });
});
