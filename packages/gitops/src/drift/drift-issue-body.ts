/**
 * The drift issue of one FLAG: what a scheduled plan of main found there that main does not say (stacks whose plan
 * is not "no changes") and the pull requests merged into it that have no apply record. One issue per FLAG, found
 * again by the hidden marker on its first line and by its author (a marker alone proves nothing). Pure.
 *
 *   <!-- kitt:drift flag=<flag-id> -->
 *   # Drift in `<flag-id>`
 *   ## Merged pull requests without an apply record     (when there are)
 *   ## Stacks whose plan on main is not "no changes"     (when there are: the rendered plan)
 */
import { buildPlanRecord, type StackResult } from '../plan';
import { renderPlanComment, splitRecordParts, withoutMetadata } from '../plan-markdown';
import { code } from '../plan-markdown/markdown';

/** GitHub's limit on an issue body is a comment's: 65,536 characters. The plan gets what the rest leaves. */
const PLAN_MAX_CHARS = 55_000;
/** Merges listed by number; more are counted (each line is under 100 characters). */
const MAX_LISTED_MERGES = 50;

/** A pull request merged into main (or squashed onto it) with no apply record of kitt's for its commit and FLAG. */
export interface UnappliedMerge {
  readonly pr: number;
  /** The commit on main it became. */
  readonly commit: string;
  /** ISO time of that commit. */
  readonly committedAt: string;
}

export interface DriftFinding {
  readonly flagId: string;
  /** The FLAG's stacks whose plan on main has changes, or failed. */
  readonly drifted: readonly StackResult[];
  /** Stacks not planned because a drifted stack above them has changes (their plan would not be real). @default none */
  readonly waiting?: readonly StackResult[];
  readonly unapplied: readonly UnappliedMerge[];
}

/** The run that looked: main's commit, and where its job summary is. */
export interface DriftRun {
  readonly commit: string;
  readonly runId?: string;
  readonly runUrl?: string;
}

export function driftMarker(flagId: string): string {
  return `<!-- kitt:drift flag=${flagId} -->`;
}

/** True when the body's first line is the FLAG's drift marker; its author must still be checked. */
export function isDriftIssueOf(body: string | null | undefined, flagId: string): boolean {
  const firstLine = (body ?? '').split('\n', 1)[0]?.trimEnd();
  return firstLine === driftMarker(flagId);
}

export function driftIssueTitle(flagId: string): string {
  return `Drift: ${flagId}`;
}

/** A finding that needs an issue: drift, or a merge without an apply record. */
export function needsIssue(finding: DriftFinding): boolean {
  return finding.drifted.length > 0 || finding.unapplied.length > 0;
}

function where(run: DriftRun): string {
  const commit = `main at ${code(run.commit.slice(0, 12))}`;
  return run.runUrl ? `${commit} ([run](${run.runUrl}))` : commit;
}

function unappliedSection(unapplied: readonly UnappliedMerge[]): string[] {
  if (unapplied.length === 0) return [];
  return [
    '',
    '## Merged pull requests without an apply record',
    '',
    'Merged, but no apply record of kitt says it was applied (or why not): its apply run may have been cancelled, or never ran. Re-run the apply workflow for the commit.',
    '',
    ...unapplied
      .slice(0, MAX_LISTED_MERGES)
      .map((u) => `- #${u.pr}: commit ${code(u.commit.slice(0, 12))} on main, ${u.committedAt}`),
    ...(unapplied.length > MAX_LISTED_MERGES ? [`- and ${unapplied.length - MAX_LISTED_MERGES} more, newer`] : []),
  ];
}

/** The plan of the drifted stacks, as the plan record renders it, in one body (the first part when it is larger). */
function planSection(finding: DriftFinding, run: DriftRun): string[] {
  if (finding.drifted.length === 0) return [];
  const record = buildPlanRecord([...finding.drifted, ...(finding.waiting ?? [])], {
    headSha: run.commit,
    ...(run.runId ? { runId: run.runId } : {}),
  });
  const parts = splitRecordParts(withoutMetadata(renderPlanComment(record, { maxChars: PLAN_MAX_CHARS })));
  const cut =
    parts.length > 1
      ? ['', `> [!NOTE]`, `> The plan is longer than an issue holds: the rest is in the run's job summary.`]
      : [];
  return [
    '',
    '## Stacks whose plan on main is not "no changes"',
    '',
    'Something changed outside Terraform, or main holds a change that was not applied. Planned without the state lock, as pull requests are.',
    '',
    (parts[0] ?? '').trimEnd(),
    ...cut,
  ];
}

export function renderDriftIssue(finding: DriftFinding, run: DriftRun): string {
  const found = [
    finding.drifted.length > 0 ? `${finding.drifted.length} stack(s) differ` : undefined,
    (finding.waiting ?? []).length > 0 ? `${finding.waiting?.length} wait on them (not planned)` : undefined,
    finding.unapplied.length > 0
      ? `${finding.unapplied.length} merged pull request(s) have no apply record`
      : undefined,
  ].filter(Boolean);
  const lines = [
    driftMarker(finding.flagId),
    `# Drift in ${code(finding.flagId)}`,
    '',
    `Checked on ${where(run)}: ${found.join('; ')}. kitt updates this issue on every drift check and closes it once the FLAG matches main again.`,
    ...unappliedSection(finding.unapplied),
    ...planSection(finding, run),
  ];
  return `${lines.join('\n')}\n`;
}

/** The comment kitt leaves when it closes the issue. */
export function renderDriftGone(flagId: string, run: DriftRun): string {
  return `No drift in ${code(flagId)} any more, and every merged pull request has its apply record: checked on ${where(run)}. Closing.\n`;
}
