/**
 * Plan record → Markdown comment. Pure. Nothing a reviewer approves is ever cut: the title, every stack with its
 * status and counts, every destroy and replace, the errors. A record of a few FLAGs reads as one section per
 * FLAG; past that, or when the sections do not fit one comment, it takes the compact layout (`render-compact.ts`)
 * and continues in further comments, each marked as part k of n (`split-record.ts`). Only details give way, in
 * this order: attributes (stacks fold to one line per change, the largest first), then lines per stack (with a
 * pointer to where the rest is), then whole stacks; then the network diagrams and the reasons in the warning
 * block.
 *
 *   # Plan: …                                 title with totals
 *   <!-- kitt:plan-metadata {json} -->        fingerprints, config hashes, head/base/run for the apply guard
 *   ## FLAG …  table, > [!CAUTION] list, drift note, errors, network plan
 *   <!-- kitt:details-start -->               the comment poster cuts here if GitHub still refuses the body
 *   ## Details  one <details> per stack
 *
 * A record of zero stacks (the change needs no plan) says so plainly instead: see `render-empty.ts`. The job
 * summary (`renderJobSummary`) is the same record with room for far more details and no metadata.
 */
import { closeOpenBlocks, code } from './markdown';
import type { PlanRecord } from '../plan/record';
import { compactBlocks } from './render-compact';
import { buildStackDetails, foldedDetails, fullDetails, hasDetails, type StackDetails } from './render-details';
import { renderNoPlanHead, renderUnchangedFlags, type NoPlanRecord } from './render-empty';
import {
  commitRef,
  groupByFlag,
  isQuiet,
  renderHead,
  totalsLine,
  type FlagGroup,
  type HeadOptions,
} from './render-head';
import { joinRecordParts, packBlocks } from './split-record';

/** Written right before the per-stack details; the comment poster's summary-only fallback cuts here. */
export const DETAILS_START_MARKER = '<!-- kitt:details-start -->';
export const METADATA_PREFIX = '<!-- kitt:plan-metadata ';
/** GitHub's limit for a comment body. */
export const GITHUB_MAX_CHARS = 65_536;
/** Default budget: room under GitHub's limit for the poster's marker line. */
export const DEFAULT_MAX_CHARS = 60_000;
/** Smallest budget that still holds a useful record. */
export const MIN_MAX_CHARS = 2_000;
/** Most comments one record takes; a record that needs more is cut at the end of the last, saying so. */
export const MAX_PARTS = 20;
/** A record of more FLAGs than this takes the compact layout: a section per FLAG would repeat its header too often. */
export const SECTIONS_MAX_FLAGS = 5;
/** GitHub's limit for one step's job summary is 1 MiB (in bytes); the rest is room for a line kitt comment adds. */
export const JOB_SUMMARY_MAX_BYTES = 1_000_000;
/** Least room worth giving the details at the end of the last part; with less, they start a part of their own. */
const DETAILS_MIN_CHARS = 10_000;

export interface RenderOptions {
  /** Upper bound on each comment's length in characters (2,000 to 65,536). @default 60000 */
  readonly maxChars?: number;
}

/** The hidden metadata block's content: what the apply guard compares. */
export interface PlanMetadata {
  readonly version: 1;
  readonly headSha: string;
  readonly baseSha?: string;
  readonly runId?: string;
  readonly stacks: readonly {
    readonly flagId: string;
    readonly stack: string;
    readonly layer: string;
    readonly status: string;
    readonly fingerprint?: string;
    readonly configHash?: string;
  }[];
  /**
   * True when some stacks were left out for room: those to review come first, then as many others as fit. The JSON
   * artifact (`kitt render --metadata-out`) has them all. @default false
   */
  readonly truncated?: boolean;
}

/** One part's block of a record in several parts: its share of the stacks. */
interface PartMetadata extends PlanMetadata {
  readonly part?: number;
  readonly parts?: number;
}

export function planMetadata(record: PlanRecord): PlanMetadata {
  return {
    version: 1,
    headSha: record.headSha,
    ...(record.baseSha !== undefined ? { baseSha: record.baseSha } : {}),
    ...(record.runId !== undefined ? { runId: record.runId } : {}),
    stacks: record.stacks.map((s) => ({
      flagId: s.flagId,
      stack: s.stack,
      layer: s.layer,
      status: s.status,
      ...(s.fingerprint !== undefined ? { fingerprint: s.fingerprint } : {}),
      ...(s.configHash !== undefined ? { configHash: s.configHash } : {}),
    })),
  };
}

/** JSON that cannot end an HTML comment: `<`, `>` and `&` are \u-escaped. */
function commentSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `<!-- kitt:plan-metadata {json} -->`. */
function metadataBlock(metadata: PartMetadata): string {
  return `${METADATA_PREFIX}${commentSafeJson(metadata)} -->`;
}

function parseBlocks(markdown: string): PartMetadata[] | undefined {
  const blocks: PartMetadata[] = [];
  let start = markdown.indexOf(METADATA_PREFIX);
  while (start >= 0) {
    const end = markdown.indexOf(' -->', start);
    if (end < 0) return undefined;
    try {
      blocks.push(JSON.parse(markdown.slice(start + METADATA_PREFIX.length, end)) as PartMetadata);
    } catch {
      return undefined;
    }
    start = markdown.indexOf(METADATA_PREFIX, end);
  }
  return blocks;
}

/**
 * Reads the metadata back from a record (for the apply guard): one comment, or every part of a record in several
 * (the file `kitt render` writes, or the parts' bodies joined), merged into one.
 * @returns undefined when there is none, a block is unreadable, or a part is missing or from another head
 */
export function readPlanMetadata(markdown: string): PlanMetadata | undefined {
  const blocks = parseBlocks(markdown);
  const first = blocks?.[0];
  if (!blocks || !first) return undefined;
  const count = first.parts ?? 1;
  const byPart = new Map(blocks.map((b) => [b.part ?? 1, b]));
  if (blocks.length !== count || byPart.size !== count) return undefined;
  if (blocks.some((b) => b.headSha !== first.headSha || (b.parts ?? 1) !== count)) return undefined;
  const ordered = [...byPart].sort(([a], [b]) => a - b).map(([, b]) => b);
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the merged record is not a part
  const { part, parts, stacks, truncated, ...header } = ordered[0] as PartMetadata;
  const merged = ordered.flatMap((b) => b.stacks);
  return { ...header, stacks: merged, ...(ordered.some((b) => b.truncated) ? { truncated: true } : {}) };
}

function runText(record: Pick<PlanRecord, 'runId'>): string {
  return record.runId !== undefined ? `run ${code(record.runId)}` : 'the plan run';
}

/** The artifacts holding every change: each stack's redacted `summary.json`, as the plan workflow uploads them. */
export function artifactsText(record: Pick<PlanRecord, 'runId'>): string {
  return `the ${code('plan-summaries-*')} artifacts of ${runText(record)} (each stack's ${code('summary.json')})`;
}

/**
 * Where a comment sends the reader for the details it could not show. `kitt render` writes the job summary in
 * the run that posts the record (record.yml), which is not the plan run that holds the artifacts.
 */
function commentPointer(record: PlanRecord): string {
  return `the job summary of the run that posted this record shows more, and ${artifactsText(record)} hold every change.`;
}

/** Where the job summary sends the reader for the details it could not show. */
function summaryPointer(record: PlanRecord): string {
  return `${artifactsText(record)} hold every change.`;
}

/** Splits `budget` fairly: nobody gets more than it asks for; what the small ones leave goes to the big ones. */
function waterFill(sizes: readonly number[], budget: number): number[] {
  const shares = sizes.map(() => 0);
  const order = sizes.map((size, i) => ({ size, i })).sort((a, b) => a.size - b.size);
  let left = budget;
  order.forEach(({ size, i }, k) => {
    const share = Math.min(size, Math.floor(left / (order.length - k)));
    shares[i] = share;
    left -= share;
  });
  return shares;
}

function renderDetails(all: readonly StackDetails[], budget: number, pointer: string, limit: string): string {
  const heading = '## Details\n\n';
  const full = all.map((d) => fullDetails(d, budget));
  const fullText = full.every((f) => f !== undefined) ? full.join('\n') : undefined;
  if (fullText !== undefined && heading.length + fullText.length <= budget) return `${heading}${fullText}`;
  const note = `> [!NOTE]\n> Some details were folded or cut to fit ${limit}: ${pointer}\n\n`;
  const room = budget - heading.length - note.length - all.length; // one newline between blocks
  if (room <= 0) return budget >= note.length ? note : '';
  const shares = waterFill(
    full.map((f) => f?.length ?? budget + 1),
    room,
  );
  const blocks = all.map((d, i) => {
    const share = shares[i] ?? 0;
    const f = full[i];
    return f !== undefined && f.length <= share ? f : foldedDetails(d, share, pointer);
  });
  return `${heading}${note}${blocks.filter((b) => b !== '').join('\n')}`;
}

/** Head levels, most detailed first. */
const HEAD_LEVELS: readonly HeadOptions[] = [
  { diagrams: true, errorChars: 4_000, warnings: 'full', warningChars: Number.POSITIVE_INFINITY },
  { diagrams: false, errorChars: 2_000, warnings: 'full', warningChars: Number.POSITIVE_INFINITY },
  { diagrams: false, errorChars: 1_000, warnings: 'compact', warningChars: Number.POSITIVE_INFINITY },
  { diagrams: false, errorChars: 300, warnings: 'compact', warningChars: Number.POSITIVE_INFINITY },
];

/** Room kept for the details section when the head must shrink: the marker, a heading and a pointer. */
const DETAILS_RESERVE = 600;

/** The most detailed head of sections per FLAG that fits, every warning listed; undefined when none does. */
function fitHead(
  record: PlanRecord,
  groups: readonly FlagGroup[],
  metadata: string,
  maxChars: number,
): string | undefined {
  const target = maxChars - DETAILS_RESERVE;
  for (const level of HEAD_LEVELS) {
    const head = renderHead(record, groups, metadata, level);
    if (head.length <= target) return head;
  }
  return undefined;
}

function checkBudget(maxChars: number): number {
  if (!Number.isInteger(maxChars) || maxChars < MIN_MAX_CHARS || maxChars > GITHUB_MAX_CHARS) {
    throw new RangeError(
      `maxChars must be a whole number from ${MIN_MAX_CHARS} to ${GITHUB_MAX_CHARS}, got ${maxChars}`,
    );
  }
  return maxChars;
}

/** Cuts at a line end and closes what the cut left open, ending with `tail`. */
function cutWith(markdown: string, maxChars: number, tail: string): string {
  const budget = maxChars - tail.length - 40; // closing tags added by closeOpenBlocks
  const cut = markdown.lastIndexOf('\n', budget);
  return `${closeOpenBlocks(markdown.slice(0, cut > 0 ? cut : budget))}${tail}`;
}

/**
 * Renders the record of a change with no stack to plan: the statement, the metadata block with zero stacks (so
 * the poster files it as the head's record) and, when given, the FLAGs compared and found unchanged.
 */
export function renderNoPlanComment(record: NoPlanRecord, options: RenderOptions = {}): string {
  const maxChars = checkBudget(options.maxChars ?? DEFAULT_MAX_CHARS);
  const head = renderNoPlanHead(record, metadataBlock(planMetadata({ ...record, stacks: [] })));
  const prefix = `${head}\n\n${DETAILS_START_MARKER}\n\n`;
  const unchanged = renderUnchangedFlags(record.unchangedFlags, maxChars - prefix.length - 1, record.runId);
  return `${prefix}${unchanged}`.trimEnd() + '\n';
}

/** What differs between the comment and the job summary. */
interface View {
  readonly maxChars: number;
  /** Whether the hidden metadata goes in (the comment) or not (the job summary). */
  readonly metadata: boolean;
  readonly maxParts: number;
  readonly pointer: string;
  /** The limit named when details are folded. */
  readonly limit: string;
}

function detailsOf(groups: readonly FlagGroup[]): StackDetails[] {
  return groups
    .flatMap((g) => g.stacks)
    .filter(hasDetails)
    .map(buildStackDetails);
}

/** Sections per FLAG in one body, as long as that reads well and fits; undefined otherwise. */
function renderSections(record: PlanRecord, groups: readonly FlagGroup[], view: View): string | undefined {
  if (groups.length > SECTIONS_MAX_FLAGS) return undefined;
  // Sections carry every stack's metadata in a third of the comment at most; a record with more takes parts.
  const metadata = view.metadata ? metadataBlock(planMetadata(record)) : '';
  if (metadata.length > view.maxChars / 3) return undefined;
  const head = fitHead(record, groups, metadata, view.maxChars);
  if (head === undefined) return undefined;
  const detailStacks = detailsOf(groups);
  const prefix = `${head}\n\n${DETAILS_START_MARKER}\n\n`;
  const details =
    detailStacks.length > 0
      ? renderDetails(detailStacks, view.maxChars - prefix.length - 1, view.pointer, view.limit)
      : '';
  return `${prefix}${details}`.trimEnd() + '\n';
}

/** The metadata of each stack as JSON, those to review first: they are what a partial copy must not lose. */
function metadataEntries(record: PlanRecord): string[] {
  const stacks = planMetadata(record).stacks;
  const review = record.stacks.map((s) => !isQuiet(s));
  return [...stacks.filter((_, i) => review[i]), ...stacks.filter((_, i) => !review[i])].map(commentSafeJson);
}

/** A block of part `part` of `parts` holding `entries` (already JSON). */
function partMetadataBlock(
  record: PlanRecord,
  part: number,
  parts: number,
  entries: readonly string[],
  cut: boolean,
): string {
  const { stacks: _none, ...header } = planMetadata({ ...record, stacks: [] });
  const json = commentSafeJson({ ...header, ...(parts > 1 ? { part, parts } : {}) }).slice(0, -1);
  return `${METADATA_PREFIX}${json},"stacks":[${entries.join(',')}]${cut ? ',"truncated":true' : ''}} -->`;
}

function partTitle(record: PlanRecord, part: number, parts: number): string {
  if (parts === 1) return totalsLine(record);
  if (part === 1) {
    const rest = parts === 2 ? 'part 2' : `parts 2 to ${parts}`;
    return `${totalsLine(record)}\n\n**Part 1 of ${parts}.** The record goes on in ${rest}: the comments below marked so, for the same head.`;
  }
  return `**Plan record, part ${part} of ${parts}** for head ${commitRef(record.headSha)}, continued from part ${part - 1}.`;
}

/** The compact layout, in as few parts as the most detailed head that needs no more parts than the leanest. */
function renderCompact(record: PlanRecord, groups: readonly FlagGroup[], view: View): string[] {
  // Sizes are reckoned for the widest first line and metadata header (part 99 of 99), so no part can overflow.
  const entries = view.metadata ? metadataEntries(record) : [];
  const reviewCount = record.stacks.filter((s) => !isQuiet(s)).length;
  const metaHeader = view.metadata ? partMetadataBlock(record, 99, 99, [], true).length + 2 : 0;
  const firstLine = (part: number) => partTitle(record, part, 99).length + 2;
  const required = Math.min(
    entries.slice(0, reviewCount).reduce((n, e) => n + e.length + 1, 0),
    Math.floor(view.maxChars / 3),
  );
  const capacityOf = (i: number) => view.maxChars - firstLine(i + 1) - metaHeader - 1 - (i === 0 ? required : 0);

  const lean = packBlocks(
    compactBlocks(record, groups, HEAD_LEVELS[HEAD_LEVELS.length - 1] as HeadOptions),
    capacityOf,
  );
  let parts = lean;
  for (const level of HEAD_LEVELS.slice(0, -1)) {
    const packed = packBlocks(compactBlocks(record, groups, level), capacityOf);
    if (packed.length <= lean.length) {
      parts = packed;
      break;
    }
  }

  const detailStacks = detailsOf(groups);
  if (detailStacks.length > 0) {
    const last = parts.length - 1;
    let room = capacityOf(last) - (parts[last] as string).length - 2;
    if (room < DETAILS_MIN_CHARS && parts.length < view.maxParts) {
      parts = [...parts, ''];
      room = capacityOf(parts.length - 1);
    }
    const marker = `${DETAILS_START_MARKER}\n\n`;
    const details = renderDetails(detailStacks, room - marker.length, view.pointer, view.limit);
    if (details !== '') {
      const i = parts.length - 1;
      parts[i] = (parts[i] as string) === '' ? `${marker}${details}` : `${parts[i]}\n\n${marker}${details}`;
    }
  }

  if (parts.length > view.maxParts) {
    const what =
      view.maxParts > 1
        ? `the record is cut here: it would take ${parts.length} comments`
        : 'the job summary is cut here for room';
    const tail = `\n\n…(${what}. ${artifactsText(record)} hold every change, and the ${code('plan-record')} artifact every stack's fingerprint.)`;
    const i = view.maxParts - 1;
    parts = parts.slice(0, view.maxParts);
    parts[i] = cutWith(parts[i] as string, capacityOf(i), tail);
  }

  // Metadata: first the stacks to review, in part 1; then the others wherever room is left, in order.
  const shares: string[][] = parts.map(() => []);
  let next = 0;
  for (let i = 0; i < parts.length && next < entries.length; i++) {
    let room = capacityOf(i) - (parts[i] as string).length + (i === 0 ? required : 0);
    while (next < entries.length && (entries[next] as string).length + 1 <= room) {
      room -= (entries[next] as string).length + 1;
      (shares[i] as string[]).push(entries[next] as string);
      next++;
    }
  }
  const cut = next < entries.length;
  return parts.map((content, i) => {
    const title = partTitle(record, i + 1, parts.length);
    const meta = view.metadata
      ? `\n\n${partMetadataBlock(record, i + 1, parts.length, shares[i] as string[], cut && i === 0)}`
      : '';
    return `${title}${meta}\n\n${content}`.trimEnd() + '\n';
  });
}

const COMMENT_LIMIT = "GitHub's comment size limit";

/**
 * Renders the plan record as the PR comment's Markdown: one comment within `options.maxChars`, or, for a record too
 * big for one, its parts as `joinRecordParts` writes them (each within `options.maxChars`).
 */
export function renderPlanComment(record: PlanRecord, options: RenderOptions = {}): string {
  if (record.stacks.length === 0 && (record.networkDiagrams ?? []).length === 0)
    return renderNoPlanComment(record, options);
  const maxChars = checkBudget(options.maxChars ?? DEFAULT_MAX_CHARS);
  const groups = groupByFlag(record);
  const view: View = {
    maxChars,
    metadata: true,
    maxParts: MAX_PARTS,
    pointer: commentPointer(record),
    limit: COMMENT_LIMIT,
  };
  return renderSections(record, groups, view) ?? joinRecordParts(renderCompact(record, groups, view));
}

/** A rendered record without its hidden metadata blocks, for people only (the job summary). */
export function withoutMetadata(markdown: string): string {
  return markdown.replace(/^<!-- kitt:plan-metadata .* -->\n\n/gm, '');
}

/**
 * The record for the job summary: every stack and every destroy and replace, then as many details as fit in
 * `maxBytes` of UTF-8 (1,000,000 by default, under GitHub's 1 MiB per step), pointing to the artifacts for the
 * rest. No hidden metadata: the job summary is read by people, the comment and the JSON artifact by the apply guard.
 */
export function renderJobSummary(record: PlanRecord, options: { readonly maxBytes?: number } = {}): string {
  const maxBytes = options.maxBytes ?? JOB_SUMMARY_MAX_BYTES;
  if (record.stacks.length === 0 && (record.networkDiagrams ?? []).length === 0)
    return withoutMetadata(renderNoPlanComment(record));
  const groups = groupByFlag(record);
  const render = (maxChars: number) => {
    const view: View = {
      maxChars,
      metadata: false,
      maxParts: 1,
      pointer: summaryPointer(record),
      limit: "the job summary's size limit",
    };
    return renderSections(record, groups, view) ?? (renderCompact(record, groups, view)[0] as string);
  };
  // Characters first; a summary of many multi-byte characters (→, emoji) is rendered again, smaller.
  let maxChars = maxBytes;
  let markdown = render(maxChars);
  for (let bytes = Buffer.byteLength(markdown); bytes > maxBytes; bytes = Buffer.byteLength(markdown)) {
    maxChars = Math.floor((maxChars * maxBytes) / bytes) - 1_000;
    markdown = render(maxChars);
  }
  return markdown;
}
