/**
 * Escaping for values shown in the plan comment. Values come from Terraform state and config (anyone who can
 * open a PR controls some of them), so none may open or close a block, a table cell, a link or a mention.
 */
import { KNOWN_AFTER_APPLY, SENSITIVE, type RedactedValue } from './redact';

const HTML: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** For text inside an HTML block such as `<pre>`, where Markdown is not parsed. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>]/g, (c) => HTML[c] as string);
}

/**
 * For text in Markdown (table cells, list items, `<summary>`): HTML-escaped, and every character that Markdown or
 * a GFM table gives a meaning backslash-escaped. Line breaks become `↵` so a value stays on its line.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const NEEDS_ESCAPE = /[&<>\\`*[\]|~$#\r\n\u0000-\u001f\u007f]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/;

export function escapeInline(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text; // most addresses and names: nothing to do
  return (
    text
      .replace(/[&<>]/g, (c) => HTML[c] as string)
      .replace(/[\\`*[\]|~$#]/g, '\\$&')
      // An underscore inside a word never starts emphasis (`aws_subnet`); only one at a word's edge is escaped.
      .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
      .replace(/\r?\n/g, '↵')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ')
  );
}

/** A value as inline code; `<code>` (not backticks) so escaping works and GitHub links no mention inside it. */
export function code(text: string): string {
  return `<code>${escapeInline(text)}</code>`;
}

/** Cuts `text` to `max` characters, marking the cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** A redacted value as a reviewer reads it: strings quoted, the two markers bare. */
export function formatValue(value: RedactedValue | undefined, max = 200): string {
  if (value === undefined) return 'null';
  if (value === SENSITIVE || value === KNOWN_AFTER_APPLY) return value;
  return clip(JSON.stringify(value), max);
}

/** A fence longer than any run of backticks in `text`, so the text cannot close it. */
export function fenceFor(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/** Closes what a cut left open (a code fence, `<pre>`, `<details>`), so what follows renders as intended. */
export function closeOpenBlocks(text: string): string {
  let closed = text;
  const fences = text.match(/^`{3,}/gm) ?? [];
  if (fences.length % 2 === 1) closed += `\n${fences[fences.length - 1]}`;
  if ((text.match(/<pre>/g) ?? []).length > (text.match(/<\/pre>/g) ?? []).length) closed += '\n</pre>';
  const open = (text.match(/<details>/g) ?? []).length - (text.match(/<\/details>/g) ?? []).length;
  for (let i = 0; i < open; i++) closed += '\n\n</details>';
  return closed;
}
