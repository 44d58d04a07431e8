/** Words and symbols for actions and reasons, as a reviewer reads them (Terraform's symbols, plain verbs). */
import type { PlanAction } from '../plan/actions';
import { shownIdentifier } from './markdown';
import type { ResourceChangeSummary } from '../plan/summary';

export const ACTION_LABEL: Readonly<Record<PlanAction, { readonly symbol: string; readonly verb: string }>> = {
  create: { symbol: '+', verb: 'create' },
  update: { symbol: '~', verb: 'update in place' },
  delete: { symbol: '-', verb: 'destroy' },
  'replace-delete-before-create': { symbol: '-/+', verb: 'replace (destroy, then create)' },
  'replace-create-before-delete': { symbol: '+/-', verb: 'replace (create, then destroy)' },
  read: { symbol: '<=', verb: 'read during apply' },
  'no-op': { symbol: '=', verb: 'no change' },
  forget: { symbol: '.', verb: 'forget (left in place, no longer managed)' },
  'create-then-forget': { symbol: '+.', verb: 'create, and forget the old object' },
};

const REASONS: Readonly<Record<string, string>> = {
  replace_because_tainted: 'the object is tainted',
  replace_because_cannot_update: 'an attribute cannot be updated in place',
  replace_by_request: 'replacement was requested (-replace)',
  replace_by_triggers: 'replace_triggered_by fired',
  delete_because_no_resource_config: 'removed from the configuration',
  delete_because_no_module: 'its module was removed',
  delete_because_wrong_repetition: 'count/for_each was added or removed',
  delete_because_count_index: 'its count index is out of range',
  delete_because_each_key: 'its for_each key was removed',
  delete_because_no_move_target: 'moved to an address that does not exist',
  read_because_config_unknown: 'its configuration is known only during apply',
  read_because_dependency_pending: 'a dependency has changes pending',
  read_because_check_nested: 'a check block reads it',
};

/** Terraform's `action_reason` in words; an unknown reason is shown as it is. */
export function reasonText(reason: string): string {
  return REASONS[reason] ?? reason;
}

/** Verb for one resource change, including import and move, which may come with any action. */
export function describeChange(r: ResourceChangeSummary): string {
  const parts: string[] = [];
  if (r.action !== 'no-op' || (r.importing === undefined && r.previousAddress === undefined))
    parts.push(ACTION_LABEL[r.action].verb);
  const { importing, previousAddress, deposed } = r;
  if (importing !== undefined)
    parts.push(importing.id !== undefined ? `import (id ${shownIdentifier(importing.id)})` : 'import');
  if (previousAddress !== undefined) parts.push(`move from ${shownIdentifier(previousAddress)}`);
  if (deposed !== undefined) parts.push(`deposed object ${shownIdentifier(deposed)}`);
  return parts.join(', ');
}

/** Most consequential first: what a reviewer must see if a list is cut. */
const SEVERITY: Readonly<Record<PlanAction, number>> = {
  'replace-delete-before-create': 0,
  'replace-create-before-delete': 1,
  delete: 2,
  'create-then-forget': 3,
  forget: 4,
  update: 5,
  create: 6,
  read: 7,
  'no-op': 8,
};

export function bySeverity<T extends { readonly action: PlanAction }>(items: readonly T[]): T[] {
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => SEVERITY[a.item.action] - SEVERITY[b.item.action] || a.i - b.i)
    .map(({ item }) => item);
}
