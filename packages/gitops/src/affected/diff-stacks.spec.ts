import { diffStacks, type FlagPlacement } from './diff-stacks';
import type { AffectedStack, SynthesizedStack } from './types';

const FLAG = 'acme-prod-us-east-1';
const placements = new Map<string, FlagPlacement>([
  [
    FLAG,
    {
      flagDir: 'flags/acme/prod/us-east-1',
      accountId: '111111111111',
      planRoleArn: 'arn:aws:iam::111111111111:role/plan',
    },
  ],
  ['beta-dev-eu-west-1', { flagDir: 'flags/beta/dev/eu-west-1', accountId: '222222222222' }],
]);

/** A stack of FLAG by suffix (`flag`, `cell-a1`, `addons-a1`) with a config hash. */
function stack(suffix: string, hash: string, flag = FLAG): SynthesizedStack {
  const layer = suffix === 'flag' ? 'flag' : suffix.startsWith('cell-') ? 'cell' : 'addons';
  const dependsOn =
    layer === 'cell' ? [`${flag}-flag`] : layer === 'addons' ? [`${flag}-cell-${suffix.slice('addons-'.length)}`] : [];
  return { flag, stack: `${flag}-${suffix}`, layer, dependsOn, configHash: hash };
}

const reasons = (entries: readonly AffectedStack[]) => entries.map((e) => [e.stack.slice(FLAG.length + 1), e.reason]);

const BASE = [
  stack('flag', 'f'),
  stack('cell-a1', 'a'),
  stack('cell-b1', 'b'),
  stack('addons-a1', 'x'),
  stack('addons-b1', 'y'),
];

describe('diffStacks', () => {
  it('plans nothing when every config hash is the same', () => {
    const { stacks, unchanged } = diffStacks(BASE, BASE, placements);
    expect(stacks).toEqual([]);
    expect(unchanged).toHaveLength(5);
  });

  it('plans a changed cell and the addons that read it, and nothing else', () => {
    const head = BASE.map((s) => (s.stack.endsWith('cell-a1') ? { ...s, configHash: 'a2' } : s));
    const { stacks, unchanged } = diffStacks(BASE, head, placements);
    expect(reasons(stacks)).toEqual([
      ['cell-a1', 'config-changed'],
      ['addons-a1', 'upstream-changed'],
    ]);
    expect(reasons(unchanged)).toEqual([
      ['flag', 'unchanged'],
      ['cell-b1', 'unchanged'],
      ['addons-b1', 'unchanged'],
    ]);
  });

  it('plans every stack downstream of a changed flag stack, transitively', () => {
    const head = BASE.map((s) => (s.layer === 'flag' ? { ...s, configHash: 'f2' } : s));
    expect(reasons(diffStacks(BASE, head, placements).stacks)).toEqual([
      ['flag', 'config-changed'],
      ['cell-a1', 'upstream-changed'],
      ['cell-b1', 'upstream-changed'],
      ['addons-a1', 'upstream-changed'],
      ['addons-b1', 'upstream-changed'],
    ]);
  });

  it('follows the layer cake even where cdktf declared no dependency', () => {
    const bare = BASE.map((s) => ({ ...s, dependsOn: [] }));
    const head = bare.map((s) => (s.layer === 'flag' ? { ...s, configHash: 'f2' } : s));
    expect(diffStacks(bare, head, placements).unchanged).toEqual([]);
  });

  it('calls every stack of a FLAG that base lacks new, in apply order', () => {
    const { stacks } = diffStacks([], [...BASE].reverse(), placements);
    expect(reasons(stacks)).toEqual([
      ['flag', 'new'],
      ['cell-a1', 'new'],
      ['cell-b1', 'new'],
      ['addons-a1', 'new'],
      ['addons-b1', 'new'],
    ]);
  });

  it('plans a removed cell and its addons as removed, from base', () => {
    const head = BASE.filter((s) => !s.stack.endsWith('-b1'));
    const { stacks } = diffStacks(BASE, head, placements);
    expect(reasons(stacks)).toEqual([
      ['cell-b1', 'removed'],
      ['addons-b1', 'removed'],
    ]);
    expect(stacks[1]?.dependsOn).toEqual([`${FLAG}-cell-b1`, `${FLAG}-flag`]);
  });

  it('carries the FLAG directory, account and plan role onto each stack', () => {
    const { stacks } = diffStacks([], [stack('flag', 'f')], placements);
    expect(stacks[0]).toMatchObject({
      flag: FLAG,
      flagDir: 'flags/acme/prod/us-east-1',
      layer: 'flag',
      accountId: '111111111111',
      planRoleArn: 'arn:aws:iam::111111111111:role/plan',
      configHash: 'f',
    });
  });

  it('leaves planRoleArn out where the account has none', () => {
    const { stacks } = diffStacks([], [stack('flag', 'f', 'beta-dev-eu-west-1')], placements);
    expect(stacks[0]).not.toHaveProperty('planRoleArn');
  });

  it('orders FLAGs by id, each flag → cells → addons', () => {
    const other = [stack('flag', 'g', 'beta-dev-eu-west-1'), stack('cell-c1', 'c', 'beta-dev-eu-west-1')];
    const { stacks } = diffStacks([], [...other, ...BASE.slice(0, 2)], placements);
    expect(stacks.map((s) => s.stack)).toEqual([
      `${FLAG}-flag`,
      `${FLAG}-cell-a1`,
      'beta-dev-eu-west-1-flag',
      'beta-dev-eu-west-1-cell-c1',
    ]);
  });
});
