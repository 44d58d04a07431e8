/**
 * Escaping for values shown in the plan comment. Values come from Terraform state and config (anyone who can
 * open a PR controls some of them), so none may open or close a block, a table cell, a link or a mention.
 */
import { createHash } from 'node:crypto';
import { KNOWN_AFTER_APPLY, SENSITIVE, type RedactedValue } from '../plan/redact';

const HTML: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Bidirectional controls (embeddings, overrides, isolates, the marks): they make text display in another order
 * than it is, so a value could show one address and be another. Never passed through.
 */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

/** Each bidi control as a visible `<U+202E>` (HTML-escaped, for text already escaped). */
function showBidiControls(escaped: string): string {
  return escaped.replace(
    BIDI_CONTROLS,
    (c) => `&lt;U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}&gt;`,
  );
}

/** For text inside an HTML block such as `<pre>`, where Markdown is not parsed (and GitHub links no mention). */
export function escapeHtml(text: string): string {
  return showBidiControls(text.replace(/[&<>]/g, (c) => HTML[c] as string));
}

/**
 * For text in Markdown (table cells, list items, `<summary>`, `<code>`): HTML-escaped, and every character that
 * Markdown or a GFM table gives a meaning backslash-escaped. Line breaks become `↵` so a value stays on its line.
 * An `@` is followed by a zero-width space, so no value can mention (notify) anyone; bidi controls are shown as
 * `<U+…>`.
 */
const NEEDS_ESCAPE =
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  /[&<>\\`*[\]|~$#@\r\n\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/;

export function escapeInline(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text; // most addresses and names: nothing to do
  return showBidiControls(
    text
      .replace(/[&<>]/g, (c) => HTML[c] as string)
      .replace(/[\\`*[\]|~$#]/g, '\\$&')
      // An underscore inside a word never starts emphasis (`aws_subnet`); only one at a word's edge is escaped.
      .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
      .replace(/\r?\n/g, '↵')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ')
      .replace(/@/g, '@&#8203;'),
  );
}

/** A value as inline code; `<code>` (not backticks) so escaping works and GitHub links no mention inside it. */
export function code(text: string): string {
  return `<code>${escapeInline(text)}</code>`;
}

/** Longest address, key or id shown whole. */
export const MAX_IDENTIFIER_CHARS = 1_000;

/**
 * An address, key or id as shown: whole up to `MAX_IDENTIFIER_CHARS`, else its start, its length and the first 12
 * hex digits of its SHA-256, so two long ones that start alike can still be told apart (and found in the plan).
 */
export function shownIdentifier(text: string): string {
  if (text.length <= MAX_IDENTIFIER_CHARS) return text;
  // Never cut between the two halves of a surrogate pair.
  const end = /[\ud800-\udbff]/.test(text.charAt(MAX_IDENTIFIER_CHARS - 1))
    ? MAX_IDENTIFIER_CHARS - 1
    : MAX_IDENTIFIER_CHARS;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 12);
  return `${text.slice(0, end)}… (${text.length} characters, SHA-256 ${hash}…)`;
}

/** `code(shownIdentifier(text))`: an address, key or id as inline code, cut if it is very long. */
export function codeIdentifier(text: string): string {
  return code(shownIdentifier(text));
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
