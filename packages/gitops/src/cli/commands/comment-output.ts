import { appendFileSync } from 'node:fs';
import type { PublishPlanRecordResult } from '../../github/plan-record-comment';
import type { CommandContext } from '../command';

/** What `kitt comment` tells people: its progress lines and the job summary's link to the record. */

export function appendToStepSummary(ctx: CommandContext, markdown: string): void {
  const file = ctx.env['GITHUB_STEP_SUMMARY'];
  if (!file) return;
  try {
    appendFileSync(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  } catch (error) {
    // The PR comment still matters more than the job summary: say so and go on.
    ctx.stderr(`kitt comment: could not write GITHUB_STEP_SUMMARY '${file}': ${(error as Error).message}\n`);
  }
}

/** Links to the posted parts, for the job summary. */
export function stepSummaryLine(result: PublishPlanRecordResult): string {
  if (result.parts.length <= 1)
    return `\nThe plan record is posted on the pull request: [plan record](${result.url}).\n`;
  const links = result.parts.map((p, i) => `[part ${i + 1}](${p.url})`).join(', ');
  return `\nThe plan record is posted on the pull request in ${result.parts.length} comments: ${links}.\n`;
}

export function describe(result: PublishPlanRecordResult, where: string, head: string | undefined): string {
  const forHead = head ? ` for head ${head.slice(0, 12)}` : '';
  const lines = [`✓ plan record ${result.action} on ${where}${forHead}: ${result.url}`];
  if (result.parts.length > 1) {
    const actions = result.parts.map((p, i) => `part ${i + 1} ${p.action} ${p.url}`).join(', ');
    lines.push(`✓ in ${result.parts.length} comments: ${actions}`);
  }
  if (result.deleted.length > 0) {
    lines.push(`✓ deleted ${result.deleted.length} part(s) the record no longer has: ${result.deleted.join(', ')}`);
  }
  if (result.summaryOnly) {
    lines.push('! the full record is too large for a comment: posted the summary only (details in the job summary)');
  }
  if (result.minimized.length > 0) {
    lines.push(`✓ minimized ${result.minimized.length} outdated plan record(s): ${result.minimized.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Why an approved head's record was not edited. */
export function approvedHeadLine(result: PublishPlanRecordResult): string {
  const why =
    result.action === 'unchanged'
      ? 'the plan is the same, so the approved record stays as it is'
      : 'the plan changed, so a new record was posted and needs approval';
  return `! the head is approved: its record is not edited; ${why}\n`;
}
