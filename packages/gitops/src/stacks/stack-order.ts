import { KittError, layerRank, parseStackName, stackNameGrammar, type Layer } from '@kitt/flag-config';

/** One synthesized stack to plan. */
export interface StackToPlan {
  /** `<customer>-<environment>-<region>` */
  readonly flagId: string;
  /** Stack name, e.g. `payments-prod-us-east-1-cell-a1`. */
  readonly stack: string;
  readonly layer: Layer;
  /** Absolute directory holding the stack's `cdk.tf.json` (Terraform's working directory). */
  readonly dir: string;
  /** Names of the stacks whose outputs this one reads (cdktf cross-stack references). */
  readonly dependsOn: readonly string[];
}

/** A stack list that cannot be put in apply order. */
export class StackOrderError extends KittError {
  constructor(
    /** Stable code: `STACK_NAME_UNKNOWN_LAYER`, `STACK_DUPLICATE`, `STACK_CYCLE`. */
    code: string,
    message: string,
  ) {
    super({ code, kind: 'input', message });
  }
}

/** The layer of a stack from its name; a coded error for a name outside the grammar. */
export function layerOfStack(flagId: string, stack: string): Layer {
  const part = parseStackName(flagId, stack);
  if (part) return part.layer;
  throw new StackOrderError(
    'STACK_NAME_UNKNOWN_LAYER',
    `stack '${stack}' of FLAG ${flagId} is not named ${stackNameGrammar(flagId)}`,
  );
}

type Orderable = Pick<StackToPlan, 'flagId' | 'stack' | 'layer' | 'dependsOn'>;

function compareStacks(a: Orderable, b: Orderable): number {
  if (a.flagId !== b.flagId) return a.flagId < b.flagId ? -1 : 1;
  const layer = layerRank(a.layer) - layerRank(b.layer);
  if (layer !== 0) return layer;
  return a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0;
}

/**
 * Apply order: every stack after the stacks it depends on (flag → cells →
 * addons), ties broken by FLAG, layer and name so the order is the same on
 * every run. Dependencies outside the list are not being planned (their config
 * is unchanged) and do not constrain the order.
 */
export function orderStacks<T extends Orderable>(stacks: readonly T[]): T[] {
  const byName = new Map<string, T>();
  for (const s of stacks) {
    if (byName.has(s.stack)) throw new StackOrderError('STACK_DUPLICATE', `stack '${s.stack}' is listed twice`);
    byName.set(s.stack, s);
  }
  const waitingOn = new Map(stacks.map((s) => [s.stack, new Set(s.dependsOn.filter((d) => byName.has(d)))]));
  const ordered: T[] = [];
  while (ordered.length < stacks.length) {
    const ready = stacks.filter((s) => waitingOn.get(s.stack)?.size === 0).sort(compareStacks);
    const next = ready[0];
    if (!next) {
      const stuck = [...waitingOn.keys()].sort().join(', ');
      throw new StackOrderError('STACK_CYCLE', `stacks depend on each other in a cycle: ${stuck}`);
    }
    ordered.push(next);
    waitingOn.delete(next.stack);
    for (const deps of waitingOn.values()) deps.delete(next.stack);
  }
  return ordered;
}
