/**
 * The apply record: what one apply run did, for people (a PR comment with a marker of its own, never taken for a
 * plan record) and for machines (one JSON file per stack: the fingerprint applied, the result, the Terraform
 * version, the timing). Pure.
 *
 *   <!-- kitt:apply-record commit=<sha> flag=<id|all> -->
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

export function applyRecordMarker(run: Pick<ApplyRunInfo, 'commit' | 'flagId'>): string {
  return `${MARKER_PREFIX} commit=${run.commit} flag=${run.flagId ?? 'all'} -->`;
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
    `> To retry, re-run this apply (${run.runUrl ? `[the run](${run.runUrl})` : 'the apply workflow'}, or its \`workflow_dispatch\` with commit ${code(run.commit)}): it goes through the guard again, and the stacks already applied plan no changes.`,
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
  const lines = [
    applyRecordMarker(run),
    `# Apply${scope}: ${totals}`,
    '',
    `Merge commit ${code(run.commit)}, plan run ${code(run.planRunId)}, Terraform ${code(run.terraformVersion)}${run.runUrl ? `, [apply run](${run.runUrl})` : ''}.`,
    '',
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
