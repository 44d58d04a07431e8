/**
 * Plan record → Markdown comment. Pure. The body always fits `maxChars` (GitHub refuses more than 65,536): when
 * it must cut, it keeps the header, the stack tables, every warning and the errors, and gives up detail in this
 * order: attributes (stacks fold to one line per change, the largest first), then lines per stack (with a pointer
 * to the full plan), then whole stacks; only then the network diagrams, the reasons in the warning block, and
 * finally warning lines themselves (counted, never silently).
 *
 *   # Plan: …                                 title with totals
 *   <!-- kitt:plan-metadata {json} -->        fingerprints, config hashes, head/base/run for the apply guard
 *   ## FLAG …  table, > [!CAUTION] list, drift note, errors, network plan
 *   <!-- kitt:details-start -->               the comment poster cuts here if GitHub still refuses the body
 *   ## Details  one <details> per stack
 *
 * A record of zero stacks (the change needs no plan) says so plainly instead: see `render-empty.ts`.
 */
import { closeOpenBlocks, code } from './markdown';
import type { PlanRecord } from './record';
import { buildStackDetails, foldedDetails, fullDetails, hasDetails, type StackDetails } from './render-details';
import { renderNoPlanHead, renderUnchangedFlags, type NoPlanRecord } from './render-empty';
import { groupByFlag, renderHead, type FlagGroup, type HeadOptions } from './render-head';

/** Written right before the per-stack details; the comment poster's summary-only fallback cuts here. */
export const DETAILS_START_MARKER = '<!-- kitt:details-start -->';
export const METADATA_PREFIX = '<!-- kitt:plan-metadata ';
/** GitHub's limit for a comment body. */
export const GITHUB_MAX_CHARS = 65_536;
/** Default budget: room under GitHub's limit for the poster's marker line. */
export const DEFAULT_MAX_CHARS = 60_000;
/** Smallest budget that still holds a useful record. */
export const MIN_MAX_CHARS = 2_000;

export interface RenderOptions {
  /** Upper bound on the comment's length in characters (2,000 to 65,536). @default 60000 */
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
  /** True when some stacks were left out for room (the JSON artifact has them all). @default false */
  readonly truncated?: boolean;
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

/** `<!-- kitt:plan-metadata {json} -->`; `<`, `>` and `&` are \u-escaped so no value can end the comment. */
function metadataBlock(metadata: PlanMetadata): string {
  const json = JSON.stringify(metadata).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `${METADATA_PREFIX}${json} -->`;
}

/** Reads the metadata block back from a comment body (for the apply guard). */
export function readPlanMetadata(markdown: string): PlanMetadata | undefined {
  const start = markdown.indexOf(METADATA_PREFIX);
  if (start < 0) return undefined;
  const end = markdown.indexOf(' -->', start);
  if (end < 0) return undefined;
  try {
    return JSON.parse(markdown.slice(start + METADATA_PREFIX.length, end)) as PlanMetadata;
  } catch {
    return undefined;
  }
}

/** Metadata that fits in a third of the budget, dropping trailing stacks (and saying so) if it must. */
function fittedMetadata(record: PlanRecord, maxChars: number): string {
  const full = planMetadata(record);
  let block = metadataBlock(full);
  let n = full.stacks.length;
  while (block.length > maxChars / 3 && n > 0) {
    n = Math.floor(n / 2);
    block = metadataBlock({ ...full, stacks: full.stacks.slice(0, n), truncated: true });
  }
  return block;
}

function pointerText(record: PlanRecord): string {
  const run = record.runId !== undefined ? ` of run ${code(record.runId)}` : '';
  return `the full plan is in the job summary and the artifacts${run}.`;
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

function renderDetails(all: readonly StackDetails[], budget: number, pointer: string): string {
  const heading = '## Details\n\n';
  const full = all.map((d) => fullDetails(d, budget));
  const fullText = full.every((f) => f !== undefined) ? full.join('\n') : undefined;
  if (fullText !== undefined && heading.length + fullText.length <= budget) return `${heading}${fullText}`;
  const note = `> [!NOTE]\n> Some details were folded or cut to fit GitHub's comment size limit: ${pointer}\n\n`;
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

/** Head levels, most detailed first; the last one is tuned to the room left. */
const HEAD_LEVELS: readonly Omit<HeadOptions, 'warningChars'>[] = [
  { diagrams: true, errorChars: 4_000, warnings: 'full' },
  { diagrams: false, errorChars: 2_000, warnings: 'full' },
  { diagrams: false, errorChars: 1_000, warnings: 'compact' },
  { diagrams: false, errorChars: 300, warnings: 'compact' },
];

/** Room kept for the details section when the head must shrink: the marker, a heading and a pointer. */
const DETAILS_RESERVE = 600;

function fitHead(record: PlanRecord, groups: readonly FlagGroup[], metadata: string, maxChars: number): string {
  const target = maxChars - DETAILS_RESERVE;
  for (const level of HEAD_LEVELS) {
    const head = renderHead(record, groups, metadata, { ...level, warningChars: Number.POSITIVE_INFINITY });
    if (head.length <= target) return head;
  }
  const last = HEAD_LEVELS[HEAD_LEVELS.length - 1] as Omit<HeadOptions, 'warningChars'>;
  const bare = renderHead(record, groups, metadata, { ...last, warningChars: 0 });
  return renderHead(record, groups, metadata, { ...last, warningChars: Math.max(0, target - bare.length) });
}

function checkBudget(maxChars: number): number {
  if (!Number.isInteger(maxChars) || maxChars < MIN_MAX_CHARS || maxChars > GITHUB_MAX_CHARS) {
    throw new RangeError(
      `maxChars must be a whole number from ${MIN_MAX_CHARS} to ${GITHUB_MAX_CHARS}, got ${maxChars}`,
    );
  }
  return maxChars;
}

/** Cuts at a line end and closes what the cut left open: the last resort, for records too big to summarize. */
function hardCut(markdown: string, maxChars: number, pointer: string): string {
  const tail = `\n\n…(cut to fit GitHub's comment size limit: ${pointer})\n`;
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

/** Renders the plan record as the PR comment's Markdown, within `options.maxChars`. */
export function renderPlanComment(record: PlanRecord, options: RenderOptions = {}): string {
  if (record.stacks.length === 0 && (record.networkDiagrams ?? []).length === 0)
    return renderNoPlanComment(record, options);
  const maxChars = checkBudget(options.maxChars ?? DEFAULT_MAX_CHARS);
  const groups = groupByFlag(record);
  const pointer = pointerText(record);
  const head = fitHead(record, groups, fittedMetadata(record, maxChars), maxChars);
  const detailStacks = groups
    .flatMap((g) => g.stacks)
    .filter(hasDetails)
    .map(buildStackDetails);
  const prefix = `${head}\n\n${DETAILS_START_MARKER}\n\n`;
  const details = detailStacks.length > 0 ? renderDetails(detailStacks, maxChars - prefix.length - 1, pointer) : '';
  const markdown = `${prefix}${details}`.trimEnd() + '\n';
  return markdown.length <= maxChars ? markdown : hardCut(markdown, maxChars, pointer);
}
