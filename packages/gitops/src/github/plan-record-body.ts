/**
 * The plan record's comment body, as text: the hidden marker that finds a record again, and the summary-only
 * fallback for a body GitHub refuses as too large. Pure: no I/O.
 *
 *   <!-- kitt:plan-record head=<sha> -->   ← first line, added here; the renderer never writes it
 *   # Plan: …                              ← the renderer's header, table, warnings, errors
 *   <!-- kitt:details-start -->            ← the renderer puts this right before the per-stack details
 *   <details>…</details> …                 ← dropped by the fallback
 */
import { GitHubError } from './errors';

/** The renderer writes this right before the per-stack `<details>`; everything above it is the summary. */
export const DETAILS_START_MARKER = '<!-- kitt:details-start -->';

/** GitHub refuses comment bodies longer than this. */
export const GITHUB_COMMENT_MAX_CHARS = 65_536;

const MARKER_PATTERN = /^<!-- kitt:plan-record(?: head=([0-9a-f]{7,64}))?(?: part=([1-9]\d{0,3})\/([1-9]\d{0,3}))? -->/;
const COMMIT_SHA = /^[0-9a-fA-F]{7,64}$/;

/** Which part of a record in several comments a comment is (1-based). */
export interface RecordPartNumber {
  readonly index: number;
  readonly count: number;
}

/**
 * The hidden first line of a plan record; without a head it still marks a record, for no commit in particular. A
 * record in several comments says in each which part it is: `part=2/3`.
 */
export function planRecordMarker(head?: string, part?: RecordPartNumber): string {
  const headText = head === undefined ? '' : ` head=${head}`;
  const partText = part === undefined || part.count === 1 ? '' : ` part=${part.index}/${part.count}`;
  return `<!-- kitt:plan-record${headText}${partText} -->`;
}

/**
 * Reads the marker of a comment body. Only a marker on the very first line counts, so a reply quoting a record
 * (`> <!-- … -->`) is not mistaken for one.
 * @returns undefined when the comment is not a plan record; `{ head: undefined }` for a record without a head
 */
export function readPlanRecordMarker(
  body: string | null | undefined,
): { readonly head?: string; readonly part?: RecordPartNumber } | undefined {
  const match = MARKER_PATTERN.exec(body ?? '');
  if (!match) return undefined;
  const index = Number(match[2]);
  const count = Number(match[3]);
  const part = match[2] !== undefined && index <= count ? { part: { index, count } } : {};
  return { ...(match[1] === undefined ? {} : { head: match[1] }), ...part };
}

/** The body as posted: marker line, then the rendered Markdown unchanged. */
export function withPlanRecordMarker(markdown: string, head?: string, part?: RecordPartNumber): string {
  return `${planRecordMarker(head, part)}\n${markdown}`;
}

/** A commit SHA as the marker stores it (lower case), or a `GITHUB_BAD_INPUT` error naming what was received. */
export function normalizeHead(head: string): string {
  if (!COMMIT_SHA.test(head)) {
    throw new GitHubError(
      'GITHUB_BAD_INPUT',
      `head must be a commit SHA (7 to 64 hexadecimal characters), got '${head}'`,
      {
        field: 'head',
        received: head,
        expected: 'a commit SHA, e.g. the pull request head from github.event.pull_request.head.sha',
      },
    );
  }
  return head.toLowerCase();
}

/** Equal as GitHub stores them (it may hand bodies back with CRLF line ends). */
export function sameBody(a: string | null | undefined, b: string): boolean {
  return (a ?? '').replace(/\r\n/g, '\n') === b.replace(/\r\n/g, '\n');
}

export interface SummaryOnlyOptions {
  /** Link to the run whose job summary and artifacts hold the full plan. @default no link */
  readonly detailsUrl?: string;
  /** Budget for the whole fallback body, marker included. @default 60000 (under GitHub's 65,536) */
  readonly maxChars?: number;
}

/**
 * The record without its per-stack details: everything before `DETAILS_START_MARKER`, then a note saying where
 * the details are. A summary over budget (or, without the marker, the whole Markdown) is cut at a line end, and a
 * code fence or `<details>` left open by the cut is closed so the note still renders as a note.
 */
export function summaryOnlyMarkdown(markdown: string, options: SummaryOnlyOptions = {}): string {
  const maxChars = options.maxChars ?? 60_000;
  const where = options.detailsUrl
    ? `[this run's job summary and artifacts](${options.detailsUrl})`
    : "this run's job summary and artifacts";
  const note = [
    '',
    '> [!NOTE]',
    '> The per-stack details did not fit in a pull request comment ' +
      `(GitHub's limit is ${GITHUB_COMMENT_MAX_CHARS.toLocaleString('en-US')} characters).`,
    `> The full plan record is in ${where}.`,
    '',
  ].join('\n');

  const start = markdown.indexOf(DETAILS_START_MARKER);
  let summary = (start >= 0 ? markdown.slice(0, start) : markdown).trimEnd();
  // Room for the marker line (at most 90 characters) and the note.
  const budget = maxChars - note.length - 100;
  if (summary.length > budget) {
    const cut = summary.lastIndexOf('\n', budget);
    summary = `${closeOpenBlocks(summary.slice(0, cut > 0 ? cut : budget).trimEnd())}\n\n…(cut here: the rest did not fit)`;
  }
  return `${summary}\n${note}`;
}

function closeOpenBlocks(text: string): string {
  let closed = text;
  if ((text.match(/^\s*```/gm) ?? []).length % 2 === 1) closed += '\n```';
  const open = (text.match(/<details\b/g) ?? []).length - (text.match(/<\/details>/g) ?? []).length;
  for (let i = 0; i < open; i++) closed += '\n</details>';
  return closed;
}
