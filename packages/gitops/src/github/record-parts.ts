/**
 * A plan record too long for one comment is posted as several, part 1 of n … n of n, all marked with the same
 * head. Pure helpers: which parts a rendered body holds, which comments are the record's, and which existing
 * comment each part replaces.
 *
 *   rendered file  <!-- kitt:plan-part 1/3 --> … <!-- kitt:plan-part 2/3 --> …   (kitt render --out)
 *   comment k      <!-- kitt:plan-record head=<sha> part=k/3 -->  then part k unchanged
 */
import { PlanFormatError } from '../plan/errors';
import { splitRecordParts } from '../plan-markdown/split-record';
import { GitHubError } from './errors';
import type { RecordPartNumber } from './plan-record-body';

/**
 * The comment bodies (without marker) of a rendered record, in order: one for a record that fits one comment.
 * @throws GitHubError (`GITHUB_BAD_INPUT`) when the part separators are broken, before anything is posted
 */
export function recordBodies(body: string): string[] {
  try {
    return splitRecordParts(body);
  } catch (error) {
    if (!(error instanceof PlanFormatError)) throw error;
    throw new GitHubError(
      'GITHUB_BAD_INPUT',
      `the record's parts are not as kitt render writes them: ${error.message}`,
      {
        field: 'body',
        received: error.received,
        expected: error.expected,
      },
    );
  }
}

/** A comment of the record being written, as the poster found it. */
export interface ExistingPart {
  readonly id: number;
  /** Its part number; a comment without one is a record in one comment, part 1 of 1. */
  readonly part?: RecordPartNumber;
}

export interface PartAssignment<T extends ExistingPart> {
  /** Per part of the new record, the comment to update in place, or undefined where one must be created. */
  readonly slots: readonly (T | undefined)[];
  /** Comments of parts the new record no longer has (it shrank): deleted, since a stale part would mislead. */
  readonly surplus: readonly T[];
  /** Older duplicates of a part (two comments claiming the same part): minimized with the outdated records. */
  readonly duplicates: readonly T[];
}

/** Maps the record's existing comments (oldest first) to the `count` parts of the new one. */
export function assignParts<T extends ExistingPart>(existing: readonly T[], count: number): PartAssignment<T> {
  const slots: (T | undefined)[] = Array.from({ length: count }, () => undefined);
  const surplus: T[] = [];
  const duplicates: T[] = [];
  for (const comment of existing) {
    const index = comment.part?.index ?? 1;
    if (index > count) {
      surplus.push(comment);
      continue;
    }
    const previous = slots[index - 1];
    if (previous !== undefined) duplicates.push(previous);
    slots[index - 1] = comment;
  }
  return { slots, surplus, duplicates };
}

/** Part `index` (0-based) of `count`, as the marker writes it. */
export function partNumber(index: number, count: number): RecordPartNumber {
  return { index: index + 1, count };
}

/**
 * The comments of the record being written: those of `head`; without a head, those of the newest record's head
 * (a record of no head in particular is then the newest one's group).
 */
export function commentsOfRecord<T extends { readonly head?: string }>(
  records: readonly T[],
  head: string | undefined,
): T[] {
  if (head !== undefined) return records.filter((r) => r.head === head);
  const newest = records.at(-1);
  return newest === undefined ? [] : records.filter((r) => r.head === newest.head);
}

/**
 * The newest record among the comments of one head (oldest first): from its last part 1 on. A head has several
 * records only when its approved record was kept and a changed plan was posted beside it.
 */
export function newestRecord<T extends ExistingPart>(ofHead: readonly T[]): T[] {
  const start = ofHead.findLastIndex((c) => (c.part?.index ?? 1) === 1);
  return start < 0 ? [] : ofHead.slice(start);
}

type WriteAction = 'created' | 'updated' | 'unchanged';

/** The record's action from its parts': `created` when every part was, `unchanged` when nothing was written. */
export function recordAction(parts: readonly { readonly action: WriteAction }[], deleted: number): WriteAction {
  if (parts.every((p) => p.action === 'created')) return 'created';
  if (parts.every((p) => p.action === 'unchanged') && deleted === 0) return 'unchanged';
  return 'updated';
}
