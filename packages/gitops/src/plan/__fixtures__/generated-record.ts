/**
 * A generated record of many FLAGs, as a change to shared code or `flags/org.yaml` makes it: most stacks planned
 * with no changes, a few with changes, one of them destroying a subnet.
 */
import { createHash } from 'node:crypto';
import { stackResultFromPlan, type PlanRecord, type StackRecord } from '../record';

export const GENERATED_HEAD = '0123456789abcdef0123456789abcdef01234567';

const CELLS = ['a', 'b', 'c', 'd', 'e', 'f'];

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function plan(changes: readonly { address: string; actions: string[] }[]): unknown {
  return {
    format_version: '1.2',
    terraform_version: '1.11.4',
    resource_changes: changes.map(({ address, actions }) => {
      const [type, name] = address.split('.') as [string, string];
      const before = actions.includes('create') && actions.length === 1 ? null : { id: address, tags: { v: '1' } };
      const after = actions.includes('delete') && actions.length === 1 ? null : { id: address, tags: { v: '2' } };
      return {
        address,
        mode: 'managed',
        type,
        name,
        change: { actions, before, after, after_unknown: {}, before_sensitive: {}, after_sensitive: {} },
      };
    }),
    errored: false,
    complete: true,
    applyable: changes.length > 0,
  };
}

export interface GeneratedRecordOptions {
  /** Stacks in all: each FLAG has a flag stack and a cell and an addons stack per cell, up to 13. */
  readonly stacks: number;
  /** Stacks with changes, spread over the record. @default 5 */
  readonly withChanges?: number;
}

/** The stack names in record order, and the address the record destroys. */
export function generatedRecord({ stacks, withChanges = 5 }: GeneratedRecordOptions): {
  readonly record: PlanRecord;
  readonly destroyed: { readonly stack: string; readonly address: string };
} {
  const perFlag = 1 + CELLS.length * 2;
  const names: { flagId: string; stack: string; layer: StackRecord['layer'] }[] = [];
  for (let f = 0; names.length < stacks; f++) {
    const flagId = `c${String(f + 1).padStart(3, '0')}-prod-us-east-1`;
    names.push({ flagId, stack: `${flagId}-flag`, layer: 'flag' });
    for (const cell of CELLS) names.push({ flagId, stack: `${flagId}-cell-${cell}`, layer: 'cell' });
    for (const cell of CELLS) names.push({ flagId, stack: `${flagId}-addons-${cell}`, layer: 'addons' });
  }
  names.length = stacks;
  const step = Math.max(1, Math.floor(stacks / withChanges));
  // The destroy sits past the middle, where a cut record used to lose it.
  const destroyAt = Math.min(stacks - 1, step * Math.floor(withChanges / 2) + perFlag * 2);
  let destroyed = { stack: '', address: '' };
  const records = names.map((n, i): StackRecord => {
    let changes: { address: string; actions: string[] }[] = [];
    if (i === destroyAt) {
      destroyed = { stack: n.stack, address: 'aws_subnet.worker_a' };
      changes = [{ address: 'aws_subnet.worker_a', actions: ['delete'] }];
    } else if (i % step === 0 && i / step < withChanges) {
      changes = [
        { address: 'aws_launch_template.node', actions: ['update'] },
        { address: 'aws_iam_role_policy.node', actions: ['create'] },
      ];
    }
    return { ...stackResultFromPlan(plan(changes), n), configHash: hash(n.stack) };
  });
  return { record: { headSha: GENERATED_HEAD, baseSha: 'f'.repeat(40), runId: '987654321', stacks: records }, destroyed };
}
