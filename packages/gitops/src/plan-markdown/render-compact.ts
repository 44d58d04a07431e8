/**
 * The record's compact layout, for changes that touch many FLAGs (a provider upgrade, an org-wide tag): one table
 * for the whole record instead of a section per FLAG, and every stack named in a few characters.
 *
 *   head … · base … · run …
 *   > [!CAUTION]  every destroy and replace of the record, before anything else
 *   > [!WARNING]  drift these plans depend on
 *   errors
 *   ### 5 stack(s) to review              one row per stack with changes, waiting, previewed or failed
 *   ### 2,995 stack(s) without changes    one row per FLAG naming its stacks
 *   network plans of new FLAGs
 *
 * Each piece is a `Block`, so `packBlocks` can continue a long table or list in the next comment.
 */
import { code } from './markdown';
import type { PlanRecord } from '../plan/record';
import {
  TABLE_HEADER,
  TOTALS_NOTE,
  commitsLine,
  isQuiet,
  quietCells,
  renderDiagram,
  renderErrors,
  tableRow,
  warningLine,
  warningsOf,
  type FlagGroup,
  type HeadOptions,
} from './render-head';
import { textBlock, type Block } from './split-record';

function cautionBlock(record: PlanRecord, options: Pick<HeadOptions, 'warnings'>): Block | undefined {
  const warnings = warningsOf(record);
  if (warnings.length === 0) return undefined;
  const replaces = warnings.filter((w) => w.resource.action !== 'delete').length;
  const stacks = new Set(warnings.map((w) => w.stack)).size;
  const counts = `${warnings.length - replaces} to destroy, ${replaces} to replace`;
  return {
    head: `> [!CAUTION]\n> **${counts}, in ${stacks} stack(s).** Check that each is intended before approving.`,
    continued: `> [!CAUTION]\n> **Destroy and replace, continued** (${counts} in all).`,
    lines: warnings.map((w) => warningLine(w, options.warnings)),
  };
}

function driftBlock(record: PlanRecord): Block | undefined {
  const drifted = record.stacks.filter((s) => (s.summary?.drift.length ?? 0) > 0);
  if (drifted.length === 0) return undefined;
  const head =
    '> [!WARNING]\n> **Changed outside Terraform** in ways these plans depend on (the details show what drifted):';
  return { head, lines: drifted.map((s) => `> - ${code(s.stack)} (${s.summary?.drift.length})`) };
}

function quietRow(group: FlagGroup): string | undefined {
  const cells = quietCells(group);
  return cells === undefined ? undefined : `| ${code(group.flagId)} | ${cells} |`;
}

/** Where `kitt network` finds a FLAG: its id is `<customer>-<environment>-<region>`, the first two without hyphens. */
function flagDir(flagId: string): string {
  const [customer, environment, ...region] = flagId.split('-');
  return `flags/${customer}/${environment}/${region.join('-')}`;
}

/** The blocks of the compact layout, in reading order; the title and metadata are the caller's. */
export function compactBlocks(record: PlanRecord, groups: readonly FlagGroup[], options: HeadOptions): Block[] {
  const blocks: Block[] = [textBlock(`${commitsLine(record)} · ${TOTALS_NOTE}`)];
  const caution = cautionBlock(record, options);
  if (caution) blocks.push(caution);
  const drift = driftBlock(record);
  if (drift) blocks.push(drift);
  blocks.push(...renderErrors(record, options.errorChars).map(textBlock));

  const review = record.stacks.filter((s) => !isQuiet(s));
  if (review.length > 0) {
    blocks.push({
      head: `### ${review.length} stack(s) to review\n\n${TABLE_HEADER}`,
      continued: `### Stacks to review, continued\n\n${TABLE_HEADER}`,
      lines: review.map(tableRow),
    });
  }
  const quiet = record.stacks.filter(isQuiet);
  if (quiet.length > 0) {
    const rows = groups.flatMap((g) => quietRow(g) ?? []);
    const header = '| FLAG | Stacks without changes |\n| --- | --- |';
    blocks.push({
      head: `### ${quiet.length} stack(s) without changes, in ${rows.length} FLAG(s)\n\n${header}`,
      continued: `### Stacks without changes, continued\n\n${header}`,
      lines: rows,
    });
  }
  for (const g of groups) {
    if (!g.diagram) continue;
    blocks.push(
      textBlock(
        options.diagrams
          ? renderDiagram(g.diagram)
          : `_The network plan of the new FLAG ${code(g.flagId)} is left out for room: ` +
              `${code(`kitt network ${flagDir(g.flagId)} --format mermaid`)} draws it._`,
      ),
    );
  }
  return blocks;
}
