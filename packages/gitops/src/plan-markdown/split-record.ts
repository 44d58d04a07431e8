/**
 * A record too long for one comment is written as parts, each at most one comment long. Pure.
 *
 *   <!-- kitt:plan-part 1/3 -->     hidden separator at the start of every part (none when there is one part)
 *   # Plan: …                       part 1: title, warnings, stack tables …
 *   <!-- kitt:plan-part 2/3 -->
 *   **Plan record, part 2 of 3** …  the tables go on, each table with its header again
 *
 * `kitt render --out` writes the parts into one file this way; `kitt comment` splits it again and posts each part
 * as its own comment. Content is packed block by block: a block (a table, the warning list) that does not fit in
 * what is left of a part goes on in the next one, after its heading again, so no line is ever cut in two.
 */
import { PlanFormatError } from '../plan/errors';

const PART_LINE = /^<!-- kitt:plan-part (\d+)\/(\d+) -->$/;

/** The hidden first line of part `index` (1-based) of `count`. */
export function partSeparator(index: number, count: number): string {
  return `<!-- kitt:plan-part ${index}/${count} -->`;
}

/** One file holding every part: a single part is written as is, several each after their separator line. */
export function joinRecordParts(parts: readonly string[]): string {
  const ended = parts.map((part) => (part.endsWith('\n') ? part : `${part}\n`));
  if (ended.length === 1) return ended[0] as string;
  return ended.map((part, i) => `${partSeparator(i + 1, ended.length)}\n${part}`).join('');
}

/**
 * The parts of a file `joinRecordParts` wrote, in order, each ending in a line break. A file without separators is
 * one part.
 * @throws PlanFormatError (`RECORD_PARTS_INVALID`) when the separators are not 1/n … n/n in order
 */
export function splitRecordParts(text: string): string[] {
  const lines = text.split('\n');
  if (!PART_LINE.test(lines[0] ?? '')) return [text];
  const found: string[][] = [];
  let count = 0;
  lines.forEach((line, i) => {
    const match = PART_LINE.exec(line);
    if (match === null) {
      found[found.length - 1]?.push(line);
      return;
    }
    if (found.length === 0) count = Number(match[2]);
    const expected = found.length + 1;
    if (Number(match[2]) !== count || Number(match[1]) !== expected) {
      throw new PlanFormatError(
        'RECORD_PARTS_INVALID',
        `line ${i + 1} starts part ${match[1]} of ${match[2]}, expected part ${expected} of ${count}`,
        `line ${i + 1}`,
        line,
        `${partSeparator(expected, count)}, as kitt render writes it`,
      );
    }
    found.push([]);
  });
  if (found.length !== count) {
    throw new PlanFormatError(
      'RECORD_PARTS_INVALID',
      `the record says it has ${count} parts but holds ${found.length}: it was cut short`,
      '',
      found.length,
      `${count} parts`,
    );
  }
  return found.map((partLines, i) => (i < found.length - 1 ? `${partLines.join('\n')}\n` : partLines.join('\n')));
}

/**
 * A run of lines that belongs together: a table (heading and header, then rows) or a list. When it must go on in
 * the next part, its `head` is written again there (with `continued` in place of the first line, if given).
 */
export interface Block {
  /** Lines written before the first item, and again before the items that go on in a later part. */
  readonly head: string;
  /** The head to write in a later part instead of `head`. @default head */
  readonly continued?: string;
  /** The items, one line each (a line never goes over to the next part). */
  readonly lines: readonly string[];
}

/** A block of one unbreakable piece of text. */
export function textBlock(text: string): Block {
  return { head: text, lines: [] };
}

const BLOCK_GAP = '\n\n';

/** Cuts a line longer than a whole part (an absurdly long value): kept on its line, marked as cut. */
function fitLine(line: string, room: number): string {
  return line.length <= room ? line : `${line.slice(0, Math.max(0, room - 1))}…`;
}

/**
 * Packs blocks into parts, in order, opening a new part only when the next line does not fit. Part `i` (0-based)
 * holds at most `capacityOf(i)` characters. A block's head stays with at least its first line.
 */
export function packBlocks(blocks: readonly Block[], capacityOf: (index: number) => number): string[] {
  const parts: string[] = [];
  let text = '';
  const room = () => capacityOf(parts.length) - text.length - (text === '' ? 0 : BLOCK_GAP.length);
  const newPart = () => {
    if (text !== '') parts.push(text);
    text = '';
  };
  const add = (piece: string) => {
    text = text === '' ? piece : `${text}${BLOCK_GAP}${piece}`;
  };
  for (const block of blocks) {
    let head = block.head;
    let lines = block.lines;
    while (true) {
      const firstLine = lines[0];
      const needed = firstLine === undefined ? head.length : head.length + 1 + firstLine.length;
      if (needed > room() && text !== '') newPart();
      if (firstLine === undefined) {
        add(fitLine(head, room()));
        break;
      }
      let piece = head === '' ? fitLine(firstLine, room()) : `${head}\n${fitLine(firstLine, room() - head.length - 1)}`;
      let taken = 1;
      const left = room();
      for (; taken < lines.length; taken++) {
        const next = `${piece}\n${lines[taken] as string}`;
        if (next.length > left) break;
        piece = next;
      }
      add(piece);
      if (taken >= lines.length) break;
      lines = lines.slice(taken);
      head = block.continued ?? block.head;
      newPart();
    }
  }
  newPart();
  return parts.length > 0 ? parts : [''];
}
