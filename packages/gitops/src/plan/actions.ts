import { PlanFormatError } from './errors';

/**
 * What Terraform will do to one object. The two replace orders differ for reviewers: delete-before-create has a
 * window with no object at all; create-before-delete briefly has two. `create-then-forget` is Terraform's
 * CreateThenForget: a new object replaces one that is left in place, unmanaged.
 */
export const PLAN_ACTIONS = [
  'create',
  'update',
  'delete',
  'replace-delete-before-create',
  'replace-create-before-delete',
  'read',
  'no-op',
  'forget',
  'create-then-forget',
] as const;

export type PlanAction = (typeof PLAN_ACTIONS)[number];

const ACTIONS: Readonly<Record<string, PlanAction>> = {
  create: 'create',
  update: 'update',
  delete: 'delete',
  'delete,create': 'replace-delete-before-create',
  'create,delete': 'replace-create-before-delete',
  read: 'read',
  'no-op': 'no-op',
  forget: 'forget',
  'create,forget': 'create-then-forget',
};

/**
 * Reads a change's `actions` list. An unknown combination is refused rather than shown as something milder:
 * the record is an approval, and a change it cannot name must not pass as "no changes".
 */
export function classifyActions(actions: readonly string[], path: string): PlanAction {
  const action = ACTIONS[actions.join(',')];
  if (action === undefined) {
    throw new PlanFormatError(
      'PLAN_UNKNOWN_ACTION',
      `unknown action combination [${actions.join(', ')}]; this kitt does not know what it does`,
      path,
      actions,
      `one of ${Object.keys(ACTIONS)
        .map((k) => `[${k}]`)
        .join(', ')}`,
    );
  }
  return action;
}

export const isReplace = (action: PlanAction): boolean =>
  action === 'replace-delete-before-create' || action === 'replace-create-before-delete';

/** Deletes and replaces: what the warning block must name. */
export const isDestructive = (action: PlanAction): boolean => action === 'delete' || isReplace(action);

/**
 * The counts of one plan, one per key: resources per action, plus `import` (resources being imported, whatever
 * else happens to them) and `move` (resources whose address changes: `moved` blocks).
 */
export const COUNT_KEYS = [
  'create',
  'update',
  'delete',
  'replaceDeleteBeforeCreate',
  'replaceCreateBeforeDelete',
  'read',
  'noOp',
  'forget',
  'import',
  'move',
] as const;

/** Resource (and import/move) counts of one plan. */
export type ActionCounts = { readonly [K in (typeof COUNT_KEYS)[number]]: number };

export const ZERO_COUNTS: ActionCounts = {
  create: 0,
  update: 0,
  delete: 0,
  replaceDeleteBeforeCreate: 0,
  replaceCreateBeforeDelete: 0,
  read: 0,
  noOp: 0,
  forget: 0,
  import: 0,
  move: 0,
};

type MutableCounts = { -readonly [K in keyof ActionCounts]: number };

/** Counts actions; `importing` and `moved` are counted on top of the action. */
export function countActions(
  entries: readonly { action: PlanAction; importing?: unknown; previousAddress?: string }[],
): ActionCounts {
  const counts: MutableCounts = { ...ZERO_COUNTS };
  const field: Record<PlanAction, (keyof ActionCounts)[]> = {
    create: ['create'],
    update: ['update'],
    delete: ['delete'],
    'replace-delete-before-create': ['replaceDeleteBeforeCreate'],
    'replace-create-before-delete': ['replaceCreateBeforeDelete'],
    read: ['read'],
    'no-op': ['noOp'],
    forget: ['forget'],
    'create-then-forget': ['create', 'forget'],
  };
  for (const entry of entries) {
    for (const key of field[entry.action]) counts[key]++;
    if (entry.importing !== undefined) counts.import++;
    if (entry.previousAddress !== undefined) counts.move++;
  }
  return counts;
}

/** Terraform's own "Plan: N to add, M to change, K to destroy" figures: a replace adds one and destroys one. */
export interface PlanTotals {
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  readonly replace: number;
}

export function planTotals(counts: ActionCounts): PlanTotals {
  const replace = counts.replaceDeleteBeforeCreate + counts.replaceCreateBeforeDelete;
  return { add: counts.create + replace, change: counts.update, destroy: counts.delete + replace, replace };
}
