import { orderStacks } from '../stacks/stack-order';
import type { AffectedStack, AffectedStatus, SynthesizedStack } from './types';

/** Where a FLAG lives and which account it plans with: the parts of an `AffectedStack` that are per FLAG. */
export interface FlagPlacement {
  readonly flagDir: string;
  readonly accountId: string;
  readonly planRoleArn?: string;
}

export interface StackDiff {
  /** Stacks to plan, in apply order. */
  readonly stacks: AffectedStack[];
  /** Stacks that need no plan, in apply order. */
  readonly unchanged: AffectedStack[];
}

/**
 * Which stacks to plan, from the stacks synthesized at base and at head for the
 * same FLAGs. A stack is planned when it is new, its config changed, or a stack
 * it depends on (directly or not) is planned; a stack only base has is removed.
 *
 * Dependencies are cdktf's (manifest `dependencies`) plus the layer cake's
 * (a cell reads its FLAG's flag stack, an addons stack its cell), so a missing
 * cross-stack reference cannot hide an upstream change.
 */
export function diffStacks(
  base: readonly SynthesizedStack[],
  head: readonly SynthesizedStack[],
  placements: ReadonlyMap<string, FlagPlacement>,
): StackDiff {
  const baseByName = new Map(base.map((s) => [s.stack, s]));
  const headNames = new Set(head.map((s) => s.stack));
  const headDeps = new Map(head.map((s) => [s.stack, effectiveDependencies(s, headNames)]));

  const status = new Map<string, AffectedStatus>();
  for (const stack of head) {
    const before = baseByName.get(stack.stack);
    if (!before) status.set(stack.stack, 'new');
    else status.set(stack.stack, before.configHash === stack.configHash ? 'unchanged' : 'config-changed');
  }
  propagateUpstreamChanges(status, headDeps);

  const baseNames = new Set(base.map((s) => s.stack));
  const entries = [
    ...head.map((s) => toEntry(s, status.get(s.stack) ?? 'unchanged', headDeps.get(s.stack) ?? [], placements)),
    ...base
      .filter((s) => !headNames.has(s.stack))
      .map((s) => toEntry(s, 'removed', effectiveDependencies(s, baseNames), placements)),
  ];
  return {
    stacks: orderForApply(entries.filter((e) => e.reason !== 'unchanged')),
    unchanged: orderForApply(entries.filter((e) => e.reason === 'unchanged')),
  };
}

/** Marks `upstream-changed` every unchanged stack that depends on a planned one, until nothing moves. */
function propagateUpstreamChanges(
  status: Map<string, AffectedStatus>,
  deps: ReadonlyMap<string, readonly string[]>,
): void {
  for (let changed = true; changed; ) {
    changed = false;
    for (const [stack, current] of status) {
      if (current !== 'unchanged') continue;
      const upstreamPlanned = (deps.get(stack) ?? []).some((d) => {
        const s = status.get(d);
        return s !== undefined && s !== 'unchanged';
      });
      if (upstreamPlanned) {
        status.set(stack, 'upstream-changed');
        changed = true;
      }
    }
  }
}

/** cdktf's dependencies (construct paths: the last segment is the stack name) plus the layer cake's, among `known`. */
export function effectiveDependencies(stack: SynthesizedStack, known: ReadonlySet<string>): string[] {
  const declared = stack.dependsOn.map((d) => d.split('/').pop() ?? d);
  const prefix = `${stack.flag}-`;
  const own = stack.stack.slice(prefix.length);
  const implied =
    stack.layer === 'cell'
      ? [`${prefix}flag`]
      : stack.layer === 'addons'
        ? [`${prefix}flag`, `${prefix}cell-${own.slice('addons-'.length)}`]
        : [];
  return [...new Set([...declared, ...implied])].filter((d) => d !== stack.stack && known.has(d)).sort();
}

function toEntry(
  stack: SynthesizedStack,
  reason: AffectedStatus,
  dependsOn: readonly string[],
  placements: ReadonlyMap<string, FlagPlacement>,
): AffectedStack {
  const placement = placements.get(stack.flag);
  if (!placement) throw new Error(`diffStacks: no placement for FLAG ${stack.flag} (a caller bug)`);
  return {
    flag: stack.flag,
    flagDir: placement.flagDir,
    stack: stack.stack,
    layer: stack.layer,
    dependsOn,
    reason,
    accountId: placement.accountId,
    ...(placement.planRoleArn !== undefined ? { planRoleArn: placement.planRoleArn } : {}),
    configHash: stack.configHash,
  };
}

function orderForApply(entries: readonly AffectedStack[]): AffectedStack[] {
  return orderStacks(entries.map((e) => ({ ...e, flagId: e.flag }))).map(({ flagId: _flagId, ...e }) => e);
}
