/**
 * The record of a head whose change needs no plan: change detection found no stack whose synthesized config
 * differs from base's. It is still a record (title, hidden metadata with zero stacks, commits), so the comment
 * poster files it as the record of that head and minimizes the older ones, which no longer describe the PR.
 *
 *   # Plan: no stack to plan
 *   <!-- kitt:plan-metadata {"stacks":[]…} -->
 *   head … · base … · run …
 *   **No stack to plan: …**
 *   (details marker)
 *   ### Compared and found unchanged     table of FLAGs and their stacks, when change detection listed them
 */
import { code } from './markdown';
import { commitsLine } from './render-head';

/** A FLAG that change detection synthesized at head and base and found unchanged. */
export interface UnchangedFlag {
  readonly flagId: string;
  /** Its stacks, in apply order. @default none listed */
  readonly stacks: readonly string[];
}

/** What the record of a change with no stack to plan shows. */
export interface NoPlanRecord {
  /** PR head commit. */
  readonly headSha: string;
  /** PR base commit. @default not shown */
  readonly baseSha?: string;
  /** GitHub Actions run id. @default not shown */
  readonly runId?: string;
  /**
   * FLAGs compared and found unchanged (from `kitt affected --json`); `[]` when the change could affect no FLAG.
   * @default not listed: the record says only that there is nothing to plan
   */
  readonly unchangedFlags?: readonly UnchangedFlag[];
}

export const NO_STACK_TO_PLAN = "No stack to plan: this change touches no FLAG's synthesized configuration.";

/** Title, metadata, commits and the statement: the part that is never cut. */
export function renderNoPlanHead(record: NoPlanRecord, metadata: string): string {
  return [
    '# Plan: no stack to plan',
    metadata,
    commitsLine({ ...record, stacks: [] }),
    `**${NO_STACK_TO_PLAN}** Terraform was not run: for this head there is nothing to review or apply.`,
  ].join('\n\n');
}

const TABLE_HEAD = '| FLAG | Unchanged stacks |\n| --- | --- |';

function fullRow(flag: UnchangedFlag): string {
  return `| ${code(flag.flagId)} | ${flag.stacks.length > 0 ? flag.stacks.map(code).join(', ') : '—'} |`;
}

function countRow(flag: UnchangedFlag): string {
  return `| ${code(flag.flagId)} | ${flag.stacks.length} stack(s) |`;
}

/**
 * The FLAGs compared, within `maxChars`: every stack named when it fits, else a count per FLAG, else as many FLAGs
 * as fit and a count of the rest (never silently fewer).
 * @returns '' when change detection's findings were not given
 */
export function renderUnchangedFlags(
  flags: readonly UnchangedFlag[] | undefined,
  maxChars: number,
  runId?: string,
): string {
  if (flags === undefined) return '';
  if (flags.length === 0) return 'Change detection found no FLAG that this change could affect.';
  const intro =
    `### Compared and found unchanged\n\nChange detection synthesized ${flags.length} FLAG(s) at head and at base; ` +
    "every stack's configuration is the same:";
  const table = (rows: readonly string[]) => `${intro}\n\n${TABLE_HEAD}\n${rows.join('\n')}`;
  const full = table(flags.map(fullRow));
  if (full.length <= maxChars) return full;
  const counted = flags.map(countRow);
  const compact = table(counted);
  if (compact.length <= maxChars) return compact;
  const where = runId !== undefined ? ` of run ${code(runId)}` : '';
  const rest = (n: number) =>
    `\n\n… and ${n} more FLAG(s), not listed for room: \`kitt affected --json\` in the artifacts${where} lists them all.`;
  let text = table([]);
  if (text.length + rest(flags.length).length > maxChars)
    return `${flags.length} FLAG(s) compared and found unchanged.`;
  let shown = 0;
  for (const row of counted) {
    if (text.length + row.length + 1 + rest(flags.length - shown - 1).length > maxChars) break;
    text += `\n${row}`;
    shown++;
  }
  return `${text}${rest(flags.length - shown)}`;
}
