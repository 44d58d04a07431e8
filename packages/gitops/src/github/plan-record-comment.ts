/**
 * Posts the plan record on a pull request: one comment per head commit, found again by its hidden marker and its
 * author. Only comments kitt's own identity wrote are records: a stranger's comment that carries the marker is
 * never edited, never minimized, and never stands in for kitt's record.
 *
 * - same head (or no head given: the newest record) → updated in place, or left alone when the body is the same;
 * - a new head → a new record; every other record is then minimized as outdated, so each reviewed version stays
 *   on the pull request as evidence without cluttering it;
 * - GitHub refuses the body as too large → the summary alone is posted, with a note saying where the details are.
 * The new record is written before anything is minimized: there is never a moment without a visible record.
 *
 * An approved head (`approved`) is the exception to updating in place: its record is what a person approved, and
 * the apply guard trusts an approval only when it is newer than the record. So that record is never edited: a
 * re-run with the same plan (every stack's fingerprint and status, read from the records' metadata) leaves it
 * alone, and a changed plan is posted as a new record, the approved one then minimized as outdated like an older
 * head's, so the change needs a new approval.
 *
 * A record rendered in several parts (`record-parts.ts`) is several comments for the same head, written together:
 * each part updates the comment of the same part number, missing parts are created, parts the record no longer
 * has are deleted, and when a new head comes, every part of the older records is minimized.
 */
import type { GitHubClient } from './client';
import { GitHubError, isBodyTooLarge, toGitHubError } from './errors';
import { isWrittenBy, type CommentAuthor } from './identity';
import { alreadyMinimized, minimizeAsOutdated } from './minimize-comments';
import {
  normalizeHead,
  readPlanRecordMarker,
  sameBody,
  summaryOnlyMarkdown,
  withPlanRecordMarker,
  type RecordPartNumber,
} from './plan-record-body';
import { readPlanMetadata } from '../plan-markdown/render';
import {
  assignParts,
  commentsOfRecord,
  newestRecord,
  partNumber,
  recordAction,
  recordBodies,
  type PartAssignment,
} from './record-parts';

export interface PublishPlanRecordInput {
  readonly owner: string;
  readonly repo: string;
  /** Pull request number. */
  readonly pr: number;
  /** The rendered Markdown (`kitt render`), without the marker: it is added here. Several parts are posted as such. */
  readonly body: string;
  /** The pull request head commit this record is for. @default the newest record is updated (or one is created) */
  readonly head?: string;
  /** Link to the run holding the full plan, named in the note when only the summary fits. @default no link */
  readonly detailsUrl?: string;
  /** kitt's own identity (`resolveCommentAuthor`): only its comments are found, edited or minimized. */
  readonly author: CommentAuthor;
  /** The head has an approving review: its record is never edited (see above). @default false */
  readonly approved?: boolean;
}

export interface PublishPlanRecordResult {
  /** `created` when no part existed, `unchanged` when every part already said this, else `updated`. */
  readonly action: 'created' | 'updated' | 'unchanged';
  /** The record's comment id (of part 1). */
  readonly commentId: number;
  /** The record's address on github.com, as GitHub reported it (of part 1). */
  readonly url: string;
  /** Every part, in order: one for a record that fits one comment. */
  readonly parts: readonly PublishedPart[];
  /** Ids of the comments of parts the record no longer has, deleted in this run. */
  readonly deleted: readonly number[];
  /** Ids of the older records minimized as outdated in this run (those already minimized are not counted). */
  readonly minimized: readonly number[];
  /** True when GitHub refused the full body as too large and the summary alone was posted. */
  readonly summaryOnly: boolean;
}

export interface PublishedPart {
  readonly action: 'created' | 'updated' | 'unchanged';
  readonly commentId: number;
  readonly url: string;
  /** True when GitHub refused this part as too large and its summary alone was posted. */
  readonly summaryOnly: boolean;
}

interface PlanRecordComment {
  readonly id: number;
  readonly nodeId: string;
  readonly head?: string;
  readonly part?: RecordPartNumber;
  readonly body: string;
  readonly url: string;
}

export async function publishPlanRecord(
  octokit: GitHubClient,
  input: PublishPlanRecordInput,
): Promise<PublishPlanRecordResult> {
  const head = input.head === undefined ? undefined : normalizeHead(input.head);
  const where = `${input.owner}/${input.repo}#${input.pr}`;
  const bodies = recordBodies(input.body);
  const records = await call(`listing comments on ${where}`, () => listPlanRecords(octokit, input));

  const markerHead = head ?? records.at(-1)?.head;
  const ofHead = commentsOfRecord(records, head);
  const approvedRecord = input.approved ? newestRecord(ofHead) : [];
  if (approvedRecord.length > 0 && samePlan(approvedRecord, bodies, markerHead)) {
    return leftAlone(approvedRecord);
  }
  // An approved record is never a slot to update: the changed plan is a new record beside it.
  const {
    slots,
    surplus,
  }: Pick<PartAssignment<PlanRecordComment>, 'slots' | 'surplus'> = input.approved
    ? { slots: bodies.map(() => undefined), surplus: [] }
    : assignParts(ofHead, bodies.length);

  const kept: Kept[] = [];
  for (const [i, body] of bodies.entries()) {
    const part = partNumber(i, bodies.length);
    const what = bodies.length === 1 ? 'plan record' : `part ${part.index} of ${part.count} of the plan record`;
    const full = withPlanRecordMarker(body, markerHead, part);
    const fallback = () =>
      withPlanRecordMarker(summaryOnlyMarkdown(body, { detailsUrl: input.detailsUrl }), markerHead, part);
    const current = slots[i];
    kept.push(
      current
        ? await call(`updating ${what} (comment ${current.id}) on ${where}`, () =>
            updateRecord(octokit, input, current, full, fallback),
          )
        : await call(`creating ${what} on ${where}`, () => createRecord(octokit, input, full, fallback)),
    );
  }
  const first = kept[0] as Kept;
  const deleted = await call(`deleting the parts the plan record no longer has on ${where}`, () =>
    deleteAll(octokit, input, surplus),
  );

  const written = new Set([...kept.map((k) => k.id), ...deleted]);
  // Older records, and older duplicates of a part of this one.
  const older = records.filter((r) => !written.has(r.id));
  const minimized = await call(
    `minimizing outdated plan records on ${where} (plan record ${first.id} was ${first.action} and stays)`,
    () => minimizeAll(octokit, older),
  );
  return {
    action: recordAction(kept, deleted.length),
    commentId: first.id,
    url: first.url,
    parts: kept.map((k) => ({ action: k.action, commentId: k.id, url: k.url, summaryOnly: k.summaryOnly })),
    deleted,
    minimized,
    summaryOnly: kept.some((k) => k.summaryOnly),
  };
}

/**
 * The existing record shows the same plan as the new bodies: the same stacks with the same fingerprints and
 * statuses (the run it names, its wording, may differ), or, without readable metadata, the very same text.
 */
function samePlan(existing: readonly PlanRecordComment[], bodies: readonly string[], head: string | undefined) {
  const planOf = (markdown: string) => {
    const stacks = readPlanMetadata(markdown)?.stacks;
    if (!stacks) return undefined;
    const keys = stacks.map((s) => JSON.stringify([s.flagId, s.stack, s.layer, s.status, s.fingerprint ?? null]));
    return JSON.stringify(keys.sort());
  };
  const before = planOf(existing.map((c) => c.body).join('\n\n'));
  if (before !== undefined) return before === planOf(bodies.join('\n\n'));
  return (
    existing.length === bodies.length &&
    bodies.every((body, i) =>
      sameBody(existing[i]?.body, withPlanRecordMarker(body, head, partNumber(i, bodies.length))),
    )
  );
}

/** The result of writing nothing: the approved record stays as it is. */
function leftAlone(record: readonly PlanRecordComment[]): PublishPlanRecordResult {
  const parts = record.map((c) => ({ action: 'unchanged' as const, commentId: c.id, url: c.url, summaryOnly: false }));
  const first = parts[0] as PublishedPart;
  return {
    action: 'unchanged',
    commentId: first.commentId,
    url: first.url,
    parts,
    deleted: [],
    minimized: [],
    summaryOnly: false,
  };
}

async function deleteAll(
  octokit: GitHubClient,
  input: PublishPlanRecordInput,
  comments: readonly PlanRecordComment[],
): Promise<number[]> {
  for (const c of comments) {
    await octokit.rest.issues.deleteComment({ owner: input.owner, repo: input.repo, comment_id: c.id });
  }
  return comments.map((c) => c.id);
}

/**
 * Every comment of the pull request, all pages, keeping the plan records kitt wrote, in the order GitHub lists them
 * (oldest first).
 */
async function listPlanRecords(octokit: GitHubClient, input: PublishPlanRecordInput): Promise<PlanRecordComment[]> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner: input.owner,
    repo: input.repo,
    issue_number: input.pr,
    per_page: 100,
  });
  const records: PlanRecordComment[] = [];
  for (const c of comments) {
    if (!isWrittenBy(input.author, c.user)) continue;
    const marker = readPlanRecordMarker(c.body);
    if (marker) {
      const { head, part } = marker;
      records.push({
        id: c.id,
        nodeId: c.node_id,
        head,
        ...(part ? { part } : {}),
        body: c.body ?? '',
        url: c.html_url,
      });
    }
  }
  return records;
}

interface Written {
  readonly id: number;
  readonly url: string;
}

interface Kept extends Written {
  readonly action: PublishPlanRecordResult['action'];
  readonly summaryOnly: boolean;
}

/** Creates the record; when GitHub says the body is too large, creates it with the summary only. */
async function createRecord(
  octokit: GitHubClient,
  input: PublishPlanRecordInput,
  full: string,
  fallback: () => string,
): Promise<Kept> {
  try {
    return { ...(await createComment(octokit, input, full)), action: 'created', summaryOnly: false };
  } catch (error) {
    if (!isBodyTooLarge(error)) throw error;
  }
  return { ...(await createComment(octokit, input, fallback())), action: 'created', summaryOnly: true };
}

/** Updates the record in place, unless it already says exactly this (in full, or as the summary-only fallback). */
async function updateRecord(
  octokit: GitHubClient,
  input: PublishPlanRecordInput,
  current: PlanRecordComment,
  full: string,
  fallback: () => string,
): Promise<Kept> {
  const unchanged = { id: current.id, url: current.url, action: 'unchanged' } as const;
  if (sameBody(current.body, full)) return { ...unchanged, summaryOnly: false };
  try {
    return { ...(await updateComment(octokit, input, current.id, full)), action: 'updated', summaryOnly: false };
  } catch (error) {
    if (!isBodyTooLarge(error)) throw error;
  }
  const summary = fallback();
  if (sameBody(current.body, summary)) return { ...unchanged, summaryOnly: true };
  return { ...(await updateComment(octokit, input, current.id, summary)), action: 'updated', summaryOnly: true };
}

async function createComment(octokit: GitHubClient, input: PublishPlanRecordInput, body: string): Promise<Written> {
  const { data } = await octokit.rest.issues.createComment({
    owner: input.owner,
    repo: input.repo,
    issue_number: input.pr,
    body,
  });
  return { id: data.id, url: data.html_url };
}

async function updateComment(
  octokit: GitHubClient,
  input: PublishPlanRecordInput,
  id: number,
  body: string,
): Promise<Written> {
  const { data } = await octokit.rest.issues.updateComment({
    owner: input.owner,
    repo: input.repo,
    comment_id: id,
    body,
  });
  return { id: data.id, url: data.html_url };
}

async function minimizeAll(octokit: GitHubClient, records: readonly PlanRecordComment[]): Promise<number[]> {
  if (records.length === 0) return [];
  const hidden = await alreadyMinimized(
    octokit,
    records.map((r) => r.nodeId),
  );
  const minimized: number[] = [];
  for (const record of records) {
    if (hidden.has(record.nodeId)) continue;
    await minimizeAsOutdated(octokit, record.nodeId);
    minimized.push(record.id);
  }
  return minimized;
}

/** Runs one GitHub operation; a failure becomes a `GitHubError` naming the operation, status and reason. */
async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw error instanceof GitHubError ? error : toGitHubError(error, operation);
  }
}
