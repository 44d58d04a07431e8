/**
 * The apply record: what one apply run did, for people (a PR comment with a marker of its own, never taken for a
 * plan record) and for machines (one JSON file per stack: the fingerprint applied, the result, the Terraform
 * version, the timing). Pure.
 *
 *   <!-- kitt:apply-record commit=<sha> flag=<id|all> result=<applied|waiting|failed|refused|stopped> -->
 *   # Apply: …                      totals
 *   | stack | result | fingerprint | time |
 *   > [!CAUTION] failed: which stacks applied, which did not, the error, how to retry
 */
import { clip, code, fenceFor } from '../plan-markdown/markdown';
import type { StackApplyOutcome, StackApplyResult } from './apply-stacks';

export const APPLY_RECORD_KIND = 'kitt-apply-record';
const MARKER_PREFIX = '<!-- kitt:apply-record';
const FOLLOW_UP_PREFIX = '<!-- kitt:apply-follow-up';
/** Most characters of terraform's error shown in the comment (the job log has it all). */
const ERROR_MAX_CHARS = 6_000;

export interface ApplyRunInfo {
  /** The commit on main applied. */
  readonly commit: string;
  readonly pr: number;
  /** The plan run whose artifacts the guard checked. */
  readonly planRunId: string;
  /** This run. @default absent outside Actions */
  readonly applyRunId?: string;
  readonly runUrl?: string;
  /** `--flag`'s FLAG id. @default every FLAG of the record */
  readonly flagId?: string;
  readonly terraformVersion: string;
  /** Set when this run applies a follow-up record a person approved with `kitt apply --approve`. @default absent */
  readonly approval?: { readonly by: string; readonly followUp: number };
}

/**
 * What an apply record says of its merge, for the runs after it (`merge-walk.ts`):
 * - `applied`: every stack applied or had no changes; `waiting`: a plan made on main needs approval (posted);
 * - `refused`: the guard refused: nothing was touched, and a run again would refuse again;
 * - `failed`: a stack failed; `stopped`: not tried, because an earlier merge of the FLAG failed before it.
 * The last two are unfinished: the next apply run of the FLAG (or its retry) goes through them again.
 */
export type ApplyRecordResult = 'applied' | 'waiting' | 'failed' | 'refused' | 'stopped';
export const UNFINISHED_RESULTS: ReadonlySet<ApplyRecordResult> = new Set(['failed', 'stopped']);
/** Results whose merge reached no apply: the unfinished ones, and a refusal (which no retry goes through again). */
export const NOT_APPLIED_RESULTS: ReadonlySet<ApplyRecordResult> = new Set([...UNFINISHED_RESULTS, 'refused']);

/** The record's result from its stacks' outcomes. */
export function recordResult(results: readonly StackApplyResult[]): ApplyRecordResult {
  if (results.some((r) => r.outcome === 'failed')) return 'failed';
  if (results.some((r) => r.outcome === 'needs-approval')) return 'waiting';
  return 'applied';
}

/** One stack's JSON file of the apply record. */
export function stackApplyRecord(result: StackApplyResult, run: ApplyRunInfo): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the fresh plan goes to its own record
  const { plan, ...rest } = result;
  return {
    kind: APPLY_RECORD_KIND,
    version: 1,
    ...rest,
    appliedFingerprint: result.outcome === 'applied' ? (result.plannedFingerprint ?? null) : null,
    commit: run.commit,
    pr: run.pr,
    planRunId: run.planRunId,
    ...(run.applyRunId !== undefined ? { applyRunId: run.applyRunId } : {}),
    terraformVersion: run.terraformVersion,
  };
}

export function applyRecordMarker(run: Pick<ApplyRunInfo, 'commit' | 'flagId'>, result: ApplyRecordResult): string {
  return `${MARKER_PREFIX} commit=${run.commit} flag=${run.flagId ?? 'all'} result=${result} -->`;
}

export interface ApplyRecordMarker {
  readonly commit: string;
  /** A FLAG id, or `all`. */
  readonly flag: string;
  /** @default absent in records written before results were marked: taken as finished */
  readonly result?: ApplyRecordResult;
}

const MARKER_LINE =
  /^<!-- kitt:apply-record commit=([0-9a-f]{40}) flag=([a-z0-9-]{1,80}) (?:result=(applied|waiting|failed|refused|stopped) )?-->/;

/** The marker of an apply record's first line, or undefined (the author must still be checked). */
export function readApplyRecordMarker(body: string | null | undefined): ApplyRecordMarker | undefined {
  const match = MARKER_LINE.exec(body ?? '');
  if (!match) return undefined;
  const result = match[3] as ApplyRecordResult | undefined;
  return { commit: match[1] as string, flag: match[2] as string, ...(result ? { result } : {}) };
}

/**
 * Whether kitt's apply records say the merge `commit` finished for `flagId`: the newest record for that commit and
 * the FLAG (or every FLAG) has a result outside `unfinished`. `bodies`, oldest first, must be comments kitt wrote.
 */
export function applyFinished(
  bodies: readonly (string | null | undefined)[],
  commit: string,
  flagId: string,
  unfinished: ReadonlySet<ApplyRecordResult> = UNFINISHED_RESULTS,
): boolean {
  const newest = bodies
    .map(readApplyRecordMarker)
    .filter((marker) => marker !== undefined && marker.commit === commit && [flagId, 'all'].includes(marker.flag))
    .at(-1);
  return newest !== undefined && !(newest.result !== undefined && unfinished.has(newest.result));
}

/** True when the body is an apply record (marker on its first line); the author must still be checked. */
export function isApplyRecord(body: string | null | undefined): boolean {
  return (body ?? '').startsWith(MARKER_PREFIX);
}

const LABELS: Readonly<Record<StackApplyOutcome, string>> = {
  applied: '✅ applied',
  'no-changes': '➖ no changes',
  'needs-approval': '⏸️ needs approval',
  failed: '❌ failed',
  'not-applied': '⏭️ not applied',
};

function seconds(ms: number | undefined): string {
  return ms === undefined ? '' : `${(ms / 1000).toFixed(1)} s`;
}

function row(r: StackApplyResult): string {
  const what = r.destroy ? `${code(r.stack)} (destroy)` : code(r.stack);
  const fingerprint = r.plannedFingerprint ?? r.approvedFingerprint;
  return `| ${what} | ${LABELS[r.outcome]} | ${fingerprint ? code(fingerprint.slice(0, 12)) : ''} | ${seconds(r.durationMs)} |`;
}

function failureBlock(results: readonly StackApplyResult[], run: ApplyRunInfo): string[] {
  const failed = results.filter((r) => r.outcome === 'failed');
  if (failed.length === 0) return [];
  const applied = results.filter((r) => r.outcome === 'applied').map((r) => code(r.stack));
  const notApplied = results
    .filter((r) => r.outcome !== 'applied' && r.outcome !== 'no-changes')
    .map((r) => code(r.stack));
  const lines = [
    '',
    '> [!CAUTION]',
    `> The apply failed: nothing after ${failed.map((r) => code(r.stack)).join(', ')} was applied.`,
  ];
  lines.push(`> Applied: ${applied.length > 0 ? applied.join(', ') : 'none'}. Not applied: ${notApplied.join(', ')}.`);
  lines.push(
    `> To retry, re-run ${run.runUrl ? `[this run](${run.runUrl})` : 'this apply'} or start the apply workflow's \`workflow_dispatch\` for ${run.flagId ? code(run.flagId) : 'its FLAGs'}: it applies, through the guard again, every merge whose apply did not finish, and the stacks already applied plan no changes.`,
  );
  for (const f of failed) {
    const text = clip(f.error ?? 'no error text', ERROR_MAX_CHARS);
    const fence = fenceFor(text);
    lines.push('', `**${code(f.stack)}**`, '', fence, text, fence);
  }
  return lines;
}

/** The apply record's comment body, marker first. */
export function renderApplyRecord(results: readonly StackApplyResult[], run: ApplyRunInfo): string {
  const count = (o: StackApplyOutcome) => results.filter((r) => r.outcome === o).length;
  const totals = [
    `${count('applied')} applied`,
    `${count('no-changes')} without changes`,
    ...(count('needs-approval') > 0 ? [`${count('needs-approval')} need approval`] : []),
    ...(count('failed') > 0 ? [`${count('failed')} failed`] : []),
    ...(count('not-applied') > 0 ? [`${count('not-applied')} not applied`] : []),
  ].join(', ');
  const scope = run.flagId ? ` of ${code(run.flagId)}` : '';
  const approval = run.approval
    ? [
        `Applies the plan approved by @${run.approval.by} (follow-up record ${code(String(run.approval.followUp))}).`,
        '',
      ]
    : [];
  const lines = [
    applyRecordMarker(run, recordResult(results)),
    `# Apply${scope}: ${totals}`,
    '',
    `Merge commit ${code(run.commit)}, plan run ${code(run.planRunId)}, Terraform ${code(run.terraformVersion)}${run.runUrl ? `, [apply run](${run.runUrl})` : ''}.`,
    '',
    ...approval,
    '| stack | result | fingerprint | time |',
    '| --- | --- | --- | --- |',
    ...results.map(row),
  ];
  const waiting = results.filter((r) => r.outcome === 'needs-approval');
  if (waiting.length > 0) {
    lines.push(
      '',
      '> [!IMPORTANT]',
      `> The plan on main of ${waiting.map((r) => code(r.stack)).join(', ')} is not the approved one (another change landed, drift, or it waited on a stack above it): it was not applied, and its plan is posted below for approval. The stacks after it in its FLAG wait for that.`,
    );
  }
  lines.push(...failureBlock(results, run));
  return `${lines.join('\n')}\n`;
}

/** The marker of a plan made at apply time that needs approval (not a plan record: `kitt comment` never edits it). */
export function followUpMarker(run: Pick<ApplyRunInfo, 'commit'>, flagId: string): string {
  return `${FOLLOW_UP_PREFIX} commit=${run.commit} flag=${flagId} -->`;
}

/** The commit and FLAG of a follow-up record's marker (its first line), or undefined. */
export function readFollowUpMarker(body: string | null | undefined): { commit: string; flagId: string } | undefined {
  const match = /^<!-- kitt:apply-follow-up commit=([0-9a-f]{40}) flag=([a-z0-9-]{1,80}) -->/.exec(body ?? '');
  return match ? { commit: match[1] as string, flagId: match[2] as string } : undefined;
}

/** A follow-up record: the marker, a line saying why it needs approval, then the rendered plan. */
export function followUpBody(run: Pick<ApplyRunInfo, 'commit'>, flagId: string, renderedPlan: string): string {
  return [
    followUpMarker(run, flagId),
    `> [!IMPORTANT]`,
    `> Planned on main at ${code(run.commit)} after the merge, and not the plan that was approved: nothing of ${code(flagId)} after this point is applied until this plan is approved.`,
    '',
    renderedPlan,
  ].join('\n');
}

/** The apply record of a merge that this run did not apply: why not (the guard's reasons, or an earlier failure). */
export function renderNotApplied(
  run: Pick<ApplyRunInfo, 'commit' | 'flagId' | 'runUrl' | 'applyRunId'>,
  result: Extract<ApplyRecordResult, 'refused' | 'stopped'>,
  reason: string,
): string {
  const scope = run.flagId ? ` of ${code(run.flagId)}` : '';
  const by = run.runUrl
    ? `[apply run](${run.runUrl})`
    : run.applyRunId
      ? `apply run ${code(run.applyRunId)}`
      : 'the apply';
  const fence = fenceFor(reason);
  const what =
    result === 'refused'
      ? 'The apply guard refused this merge: nothing was planned or applied. A new pull request is needed to apply it.'
      : 'Not tried: an earlier merge of this FLAG failed to apply, and this one was reviewed on top of it. Its apply runs again when that one is retried.';
  return [
    applyRecordMarker(run, result),
    `# Apply${scope}: not applied`,
    '',
    `Merge commit ${code(run.commit)}, ${by}.`,
    '',
    what,
    '',
    fence,
    clip(reason, ERROR_MAX_CHARS),
    fence,
    '',
  ].join('\n');
}
