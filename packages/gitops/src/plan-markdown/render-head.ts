/**
 * The part of the plan comment that is never cut: title, hidden metadata, and per FLAG its header, stack table,
 * warning block (every delete and replace), drift note and errors. A new FLAG's network plan is here too, but
 * may be dropped for room.
 */
import { isDestructive, planTotals, type PlanTotals } from '../plan/actions';
import { ACTION_LABEL, bySeverity, reasonText } from './labels';
import { clip, code, codeIdentifier, escapeHtml, escapeInline, fenceFor } from './markdown';
import type { NetworkDiagram, PlanRecord, StackRecord, StackStatus } from '../plan/record';
import type { ResourceChangeSummary } from '../plan/summary';

/** Stacks of one FLAG, in the order given. */
export interface FlagGroup {
  readonly flagId: string;
  readonly stacks: readonly StackRecord[];
  readonly diagram?: NetworkDiagram;
}

export interface HeadOptions {
  /** Show new FLAGs' network plans. */
  readonly diagrams: boolean;
  /** Characters of error text per stack. */
  readonly errorChars: number;
  /** `full`: each warning with the attributes forcing it; `compact`: address and action only. */
  readonly warnings: 'full' | 'compact';
  /** Characters of warning lines in all; past it the rest are counted, not listed. */
  readonly warningChars: number;
}

const STATUS_LABEL: Readonly<Record<StackStatus, string>> = {
  changes: '📝 changes',
  'no-changes': '✅ no changes',
  'unchanged-config': '➖ unchanged config',
  waits: '⏸️ waits',
  preview: '👁️ preview (terraform not run)',
  error: '❌ error',
};

/** Statuses with nothing to apply and nothing to look at: named in a line, not given a table row. */
const QUIET: Readonly<Partial<Record<StackStatus, string>>> = {
  'no-changes': '✅ no changes',
  'unchanged-config': '➖ unchanged config',
};

/** A stack with nothing to apply and nothing to look at (no drift, not a removed stack's destroy plan). */
export function isQuiet(stack: StackRecord): boolean {
  return QUIET[stack.status] !== undefined && !stack.removed && (stack.summary?.drift.length ?? 0) === 0;
}

/** The quiet stacks of a FLAG by status, `✅ no changes: <code>a, b</code> · …`; undefined when it has none. */
export function quietCells(group: Pick<FlagGroup, 'stacks'>): string | undefined {
  const cells = Object.entries(QUIET).flatMap(([status, label]) => {
    const names = group.stacks.filter((s) => s.status === status && isQuiet(s)).map((s) => s.stack);
    return names.length > 0 ? [`${label}: ${code(names.join(', '))}`] : [];
  });
  return cells.length > 0 ? cells.join(' · ') : undefined;
}

const ZERO_TOTALS: PlanTotals = { add: 0, change: 0, destroy: 0, replace: 0 };

export function stackTotals(stack: StackRecord): PlanTotals {
  return stack.summary ? planTotals(stack.summary.counts) : ZERO_TOTALS;
}

/** A commit as GitHub links it (a bare SHA) when it is one, else as code. */
export function commitRef(sha: string): string {
  return /^[0-9a-f]{7,64}$/i.test(sha) ? sha : code(sha);
}

export function shortHash(hash: string | undefined): string {
  return hash === undefined ? '—' : code(hash.slice(0, 12));
}

export function groupByFlag(record: PlanRecord): FlagGroup[] {
  const groups = new Map<string, StackRecord[]>();
  for (const stack of record.stacks) groups.set(stack.flagId, [...(groups.get(stack.flagId) ?? []), stack]);
  for (const d of record.networkDiagrams ?? []) if (!groups.has(d.flagId)) groups.set(d.flagId, []);
  return [...groups].map(([flagId, stacks]) => {
    const diagram = record.networkDiagrams?.find((d) => d.flagId === flagId);
    return { flagId, stacks, ...(diagram ? { diagram } : {}) };
  });
}

export function statusCell(stack: StackRecord): string {
  let label = STATUS_LABEL[stack.status];
  if (stack.status === 'waits' && stack.waitsFor !== undefined) label += ` for ${code(stack.waitsFor)}`;
  if (stack.removed) label += ' · 🗑️ stack removed: destroy plan';
  if (stack.summary && !stack.summary.complete && stack.status !== 'error') label += ' (incomplete plan)';
  return label;
}

function otherCell(stack: StackRecord): string {
  const s = stack.summary;
  if (stack.status === 'waits' || stack.status === 'preview')
    return `${stack.previewResources?.length ?? 0} in config (not a plan)`;
  if (!s) return '';
  const parts = [
    [s.counts.import, 'import'],
    [s.counts.move, 'move'],
    [s.counts.forget, 'forget'],
    [s.counts.read, 'read'],
    [s.outputs.length, 'output'],
    [s.drift.length, 'drift'],
  ] as const;
  return parts
    .filter(([n]) => n > 0)
    .map(([n, what]) => `${n} ${what}`)
    .join(', ');
}

export function tableRow(stack: StackRecord): string {
  const planned = stack.summary !== undefined;
  const t = stackTotals(stack);
  const n = (value: number) => (planned ? String(value) : '—');
  const cells = [
    code(stack.stack),
    stack.layer,
    statusCell(stack),
    n(t.add),
    n(t.change),
    n(t.destroy),
    n(t.replace),
    otherCell(stack),
    shortHash(stack.fingerprint),
    shortHash(stack.configHash),
  ];
  return `| ${cells.join(' | ')} |`;
}

export const TABLE_HEADER = [
  '| Stack | Layer | Status | Add | Change | Destroy | Replace | Other | Plan fingerprint | Config hash |',
  '| --- | --- | --- | ---: | ---: | ---: | ---: | --- | --- | --- |',
].join('\n');

export function renderTable(stacks: readonly StackRecord[]): string {
  return [TABLE_HEADER, ...stacks.map(tableRow)].join('\n');
}

export interface Warning {
  readonly stack: string;
  readonly resource: ResourceChangeSummary;
}

export function warningsOf(group: Pick<FlagGroup, 'stacks'>): Warning[] {
  return group.stacks.flatMap((s) =>
    bySeverity((s.summary?.resources ?? []).filter((r) => isDestructive(r.action))).map((resource) => ({
      stack: s.stack,
      resource,
    })),
  );
}

function whyText(r: ResourceChangeSummary): string {
  const why: string[] = [];
  if (r.replacePaths.length > 0) why.push(`forced by ${r.replacePaths.map(codeIdentifier).join(', ')}`);
  else if (r.action !== 'delete') why.push('forcing attribute not reported by Terraform');
  if (r.actionReason !== undefined) why.push(escapeInline(reasonText(r.actionReason)));
  return why.join('; ');
}

/** Lines already built, per resource and mode: the head is rendered up to six times while it is fitted. */
const warningLines = new WeakMap<ResourceChangeSummary, Map<string, string>>();

export function warningLine(w: Warning, mode: 'full' | 'compact'): string {
  const key = `${mode}\u0000${w.stack}`;
  let cached = warningLines.get(w.resource);
  if (!cached) warningLines.set(w.resource, (cached = new Map()));
  let line = cached.get(key);
  if (line === undefined) cached.set(key, (line = buildWarningLine(w, mode)));
  return line;
}

function buildWarningLine(w: Warning, mode: 'full' | 'compact'): string {
  const r = w.resource;
  const deposed = r.deposed !== undefined ? ` (deposed object ${codeIdentifier(r.deposed)})` : '';
  const head = `> - **${ACTION_LABEL[r.action].verb}** ${codeIdentifier(r.address)}${deposed} in ${code(w.stack)}`;
  if (mode === 'compact') return head;
  const why = whyText(r);
  return why === '' ? head : `${head}: ${why}`;
}

/** Shared across FLAGs: how many warning characters are left. */
interface Allowance {
  chars: number;
}

function renderWarnings(group: FlagGroup, options: HeadOptions, allowance: Allowance): string | undefined {
  const warnings = warningsOf(group);
  if (warnings.length === 0) return undefined;
  const replaces = warnings.filter((w) => w.resource.action !== 'delete').length;
  const lines = [
    '> [!CAUTION]',
    `> **${code(group.flagId)}: ${warnings.length - replaces} to destroy, ${replaces} to replace.** Check that each is intended before approving.`,
  ];
  let shown = 0;
  for (const w of warnings) {
    const line = warningLine(w, options.warnings);
    if (line.length + 1 > allowance.chars) break;
    allowance.chars -= line.length + 1;
    lines.push(line);
    shown++;
  }
  if (shown < warnings.length) {
    allowance.chars = 0; // once one is left out, keep the order: no later (smaller) line jumps ahead
    lines.push(
      `> - … and ${warnings.length - shown} more destroy/replace (too many for a comment): ` +
        "see the full list in the job summary and the run's artifacts.",
    );
  }
  return lines.join('\n');
}

function renderDrift(group: FlagGroup): string | undefined {
  const drifted = group.stacks.filter((s) => (s.summary?.drift.length ?? 0) > 0);
  if (drifted.length === 0) return undefined;
  const list = drifted.map((s) => `${code(s.stack)} (${s.summary?.drift.length})`).join(', ');
  return `> [!WARNING]\n> **Changed outside Terraform** in ways these plans depend on: ${list}. The details show what drifted.`;
}

export function renderErrors(group: Pick<FlagGroup, 'stacks'>, maxChars: number): string[] {
  return group.stacks
    .filter((s) => s.status === 'error' || s.summary?.errored)
    .map((s) => {
      const text = s.error ?? 'Terraform reported the plan as errored: it is incomplete.';
      return `**❌ ${code(s.stack)} failed to plan:**\n\n<pre>\n${escapeHtml(clip(text.trim(), maxChars))}\n</pre>`;
    });
}

export function renderDiagram(d: NetworkDiagram): string {
  const fence = fenceFor(d.mermaid);
  return `### Network plan of the new FLAG ${code(d.flagId)}\n\n${fence}mermaid\n${d.mermaid.trim()}\n${fence}\n\n${d.capacityTable.trim()}`;
}

export function totalsLine(record: PlanRecord): string {
  const t = record.stacks.map(stackTotals).reduce(
    (a, b) => ({
      add: a.add + b.add,
      change: a.change + b.change,
      destroy: a.destroy + b.destroy,
      replace: a.replace + b.replace,
    }),
    ZERO_TOTALS,
  );
  const failed = record.stacks.filter((s) => s.status === 'error').length;
  const failedText = failed > 0 ? `❌ ${failed} failed, ` : '';
  // A record of previews only planned nothing: say so before any count could pass for a plan.
  if (record.stacks.length > 0 && record.stacks.every((s) => s.status === 'preview')) {
    return `# Plan preview: terraform not run, nothing planned (${record.stacks.length} stack(s))`;
  }
  return `# Plan: ${failedText}${t.add} to add, ${t.change} to change, ${t.destroy} to destroy`;
}

export function commitsLine(record: PlanRecord): string {
  const parts = [`head ${commitRef(record.headSha)}`];
  if (record.baseSha !== undefined) parts.push(`base ${commitRef(record.baseSha)}`);
  if (record.runId !== undefined) parts.push(`run ${code(record.runId)}`);
  return parts.join(' · ');
}

export function renderFlagSection(
  record: PlanRecord,
  group: FlagGroup,
  options: HeadOptions,
  allowance: Allowance,
): string {
  const parts = [`## FLAG ${code(group.flagId)}`, `Plan for ${commitsLine({ ...record, runId: undefined })}`];
  const review = group.stacks.filter((s) => !isQuiet(s));
  if (review.length > 0) parts.push(renderTable(review));
  const quiet = quietCells(group);
  if (quiet !== undefined) parts.push(`${review.length > 0 ? 'The other stacks: ' : 'Stacks: '}${quiet}`);
  const warnings = renderWarnings(group, options, allowance);
  if (warnings) parts.push(warnings);
  const drift = renderDrift(group);
  if (drift) parts.push(drift);
  parts.push(...renderErrors(group, options.errorChars));
  if (group.diagram) {
    parts.push(
      options.diagrams
        ? renderDiagram(group.diagram)
        : `_The network plan of ${code(group.flagId)} did not fit; it is in the job summary._`,
    );
  }
  return parts.join('\n\n');
}

export const TOTALS_NOTE = "add and destroy include replacements, as in Terraform's own summary.";

/** Title, metadata (none when '') and every FLAG's section. */
export function renderHead(
  record: PlanRecord,
  groups: readonly FlagGroup[],
  metadata: string,
  options: HeadOptions,
): string {
  const allowance: Allowance = { chars: options.warningChars };
  const intro = [totalsLine(record), metadata, `${commitsLine(record)} · ${TOTALS_NOTE}`]
    .filter((s) => s !== '')
    .join('\n\n');
  return [intro, ...groups.map((g) => renderFlagSection(record, g, options, allowance))].join('\n\n');
}
