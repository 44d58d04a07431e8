/**
 * Per-stack `<details>` blocks: every resource change with its attributes (before → after, redacted), output
 * changes and drift. Each stack has a full form and a folded one (one line per change) that can be cut to any
 * length, so the renderer can trade detail for room stack by stack.
 */
import type { AttributeChange } from '../plan/attribute-diff';
import { ACTION_LABEL, bySeverity, describeChange, reasonText } from './labels';
import { code, codeIdentifier, escapeHtml, escapeInline, formatValue } from './markdown';
import type { StackRecord } from '../plan/record';
import type { OutputChangeSummary, ResourceChangeSummary } from '../plan/summary';
import { stackTotals } from './render-head';

/** Attribute lines shown per resource in the full form. */
const MAX_ATTRIBUTE_LINES = 50;

/**
 * One stack's details, built lazily: a 10,000-change stack is only rendered as far as the budget can show.
 */
export interface StackDetails {
  readonly stack: string;
  /** `<details>` opening (summary line and fingerprint). */
  readonly open: string;
  /** Parts of the full form (with attributes), most consequential first. */
  readonly fullParts: readonly (() => string)[];
  /** One Markdown list line per change for the folded form, most consequential first. */
  readonly lines: readonly (() => string)[];
}

export const DETAILS_CLOSE = '\n\n</details>\n';

function attributeLine(a: AttributeChange, forcing: ReadonlySet<string>): string {
  const symbol = a.before === undefined ? '+' : a.after === undefined ? '-' : '~';
  const value =
    a.before === undefined
      ? formatValue(a.after)
      : a.after === undefined
        ? formatValue(a.before)
        : `${formatValue(a.before)} → ${formatValue(a.after)}`;
  const forces = [...forcing].some((p) => a.path === p || a.path.startsWith(`${p}.`) || a.path.startsWith(`${p}[`));
  return `${symbol} ${a.path} = ${value}${forces ? '   # forces replacement' : ''}`;
}

function resourceTitle(r: ResourceChangeSummary): string {
  const extra: string[] = [];
  if (r.replacePaths.length > 0) extra.push(`forced by ${r.replacePaths.map(codeIdentifier).join(', ')}`);
  if (r.actionReason !== undefined) extra.push(escapeInline(reasonText(r.actionReason)));
  const tail = extra.length > 0 ? ` (${extra.join('; ')})` : '';
  return `**${escapeInline(ACTION_LABEL[r.action].symbol)}** ${codeIdentifier(r.address)}: ${escapeInline(describeChange(r))}${tail}`;
}

/** Drift happened already: say what changed outside Terraform, not what Terraform will do. */
function driftTitle(r: ResourceChangeSummary): string {
  const what = r.action === 'delete' ? 'deleted outside Terraform' : 'changed outside Terraform';
  return `**${escapeInline(ACTION_LABEL[r.action].symbol)}** ${codeIdentifier(r.address)}: ${what}`;
}

function resourceBlock(r: ResourceChangeSummary, title = resourceTitle(r)): string {
  if (r.attributes.length === 0) return title;
  const forcing = new Set(r.replacePaths);
  const lines = r.attributes.slice(0, MAX_ATTRIBUTE_LINES).map((a) => attributeLine(a, forcing));
  const more = r.attributes.length - lines.length + (r.omittedAttributes ?? 0);
  if (more > 0) lines.push(`… ${more} more attribute(s)`);
  return `${title}\n\n<pre>\n${escapeHtml(lines.join('\n'))}\n</pre>`;
}

function outputLine(o: OutputChangeSummary): string {
  const change =
    o.before === undefined
      ? formatValue(o.after)
      : o.after === undefined
        ? formatValue(o.before)
        : `${formatValue(o.before)} → ${formatValue(o.after)}`;
  return `${ACTION_LABEL[o.action].symbol} ${o.name} = ${o.action === 'delete' ? `${change} (removed)` : change}`;
}

function summaryLine(s: StackRecord): string {
  const t = stackTotals(s);
  const what =
    s.status === 'waits'
      ? `waits for ${code(s.waitsFor ?? 'an upstream stack')}`
      : s.status === 'preview'
        ? 'preview, terraform not run'
        : `${t.add} to add, ${t.change} to change, ${t.destroy} to destroy`;
  return `<details><summary>${code(s.stack)}: ${what}</summary>`;
}

function identityLine(s: StackRecord): string {
  const parts = [
    `Plan fingerprint ${s.fingerprint ? code(s.fingerprint) : '—'}`,
    `config hash ${s.configHash ? code(s.configHash) : '—'}`,
  ];
  const v = s.summary?.terraformVersion;
  if (s.summary)
    parts.push(`plan format ${escapeInline(s.summary.formatVersion)}${v ? `, Terraform ${escapeInline(v)}` : ''}`);
  return parts.join(' · ');
}

const WAITS_NOTE =
  '**Not a Terraform plan.** This stack cannot be planned until the stack it waits for is applied; ' +
  'these are the resources its synthesized configuration would create. Its real plan is made and shown at apply time.';
const PREVIEW_NOTE =
  '**Not a Terraform plan.** Terraform was not run (`kitt plan --preview`): init, plan and show were skipped; ' +
  'these are the resources the synthesized configuration declares.';

/** Whether a stack has anything to show below the table. */
export function hasDetails(s: StackRecord): boolean {
  const sum = s.summary;
  return (
    (sum !== undefined && sum.resources.length + sum.outputs.length + sum.drift.length > 0) ||
    (s.previewResources?.length ?? 0) > 0
  );
}

export function buildStackDetails(s: StackRecord): StackDetails {
  const sum = s.summary;
  const resources = bySeverity(sum?.resources ?? []);
  const fullParts: (() => string)[] = [];
  const lines: (() => string)[] = [];
  const preview = s.status === 'waits' || s.status === 'preview' ? (s.previewResources ?? []) : [];
  if (preview.length > 0) {
    const note = s.status === 'preview' ? PREVIEW_NOTE : WAITS_NOTE;
    fullParts.push(
      () => note,
      () => preview.map((a) => `- ${codeIdentifier(a)}`).join('\n'),
    );
    lines.push(() => `- ${note}`, ...preview.map((a) => () => `- (config, not a plan) ${codeIdentifier(a)}`));
  }
  if (resources.length > 0) {
    fullParts.push(() => '**Resource changes**', ...resources.map((r) => () => resourceBlock(r)));
    lines.push(...resources.map((r) => () => `- ${resourceTitle(r)}`));
  }
  if (sum && sum.outputs.length > 0) {
    fullParts.push(
      () => '**Output changes**',
      () => `<pre>\n${escapeHtml(sum.outputs.map(outputLine).join('\n'))}\n</pre>`,
    );
    lines.push(
      ...sum.outputs.map(
        (o) => () => `- output ${codeIdentifier(o.name)}: ${escapeInline(ACTION_LABEL[o.action].verb)}`,
      ),
    );
  }
  if (sum && sum.drift.length > 0) {
    fullParts.push(
      () => '**Changed outside Terraform** (drift this plan depends on)',
      ...sum.drift.map((r) => () => resourceBlock(r, driftTitle(r))),
    );
    lines.push(...sum.drift.map((r) => () => `- drift: ${driftTitle(r)}`));
  }
  return { stack: s.stack, open: `${summaryLine(s)}\n\n${identityLine(s)}`, fullParts, lines };
}

/** The full form, or undefined when it is longer than `limit` (built only that far). */
export function fullDetails(d: StackDetails, limit: number): string | undefined {
  let text = d.open;
  for (const part of d.fullParts) {
    text += `\n\n${part()}`;
    if (text.length + DETAILS_CLOSE.length > limit) return undefined;
  }
  return `${text}${DETAILS_CLOSE}`;
}

/**
 * The folded form cut to `maxChars`: as many lines as fit, then a pointer to the full plan.
 * @returns '' when not even the opening and the pointer fit
 */
export function foldedDetails(d: StackDetails, maxChars: number, pointer: string): string {
  const pointerFor = (left: number) => `- … ${left} more not shown: ${pointer}`;
  const reserve = pointerFor(d.lines.length).length + 1;
  let text = `${d.open}\n`;
  let shown = 0;
  for (const line of d.lines) {
    const next = `${text}\n${line()}`;
    const isLast = shown === d.lines.length - 1;
    if (next.length + DETAILS_CLOSE.length + (isLast ? 0 : reserve) > maxChars) break;
    text = next;
    shown++;
  }
  if (shown < d.lines.length) {
    text += `\n${pointerFor(d.lines.length - shown)}`;
    if (text.length + DETAILS_CLOSE.length > maxChars) return '';
  }
  return `${text}${DETAILS_CLOSE}`;
}
