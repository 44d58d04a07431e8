import type { AffectedReport, AffectedStack } from './types';

/** `kitt affected` for people: one row per stack (planned first, in apply order), then a count. */
export function formatAffected(report: AffectedReport): string {
  const head = report.head === null ? 'working tree' : report.head.slice(0, 12);
  const lines = [`base ${report.base.slice(0, 12)} → head ${head} (FLAGs found by ${report.detector})`, ''];
  const rows = [...report.stacks, ...report.unchanged];
  if (rows.length === 0) {
    lines.push('No FLAG is affected: nothing to plan.');
  } else {
    lines.push(...table(rows));
    lines.push(
      '',
      `${report.stacks.length} stack(s) to plan in ${report.matrix.include.length} job(s), ${report.unchanged.length} unchanged.`,
    );
  }
  for (const warning of report.warnings) lines.push(`! ${warning}`);
  return `${lines.join('\n')}\n`;
}

const HEADERS = ['STACK', 'LAYER', 'REASON', 'ACCOUNT', 'DEPENDS ON'] as const;

function table(rows: readonly AffectedStack[]): string[] {
  const cells = rows.map((r) => [r.stack, r.layer, r.reason, r.accountId, r.dependsOn.join(', ') || '-']);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]?.length ?? 0)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(HEADERS), ...cells.map(line)];
}
