/**
 * Checks a new FLAG's network diagram read back from a `summary.json` before it goes into the record verbatim.
 * The Mermaid source and the capacity table are Markdown the allocator wrote, so the renderer cannot escape them
 * field by field; a summary is also the output of a job that ran the pull request's code, so it may be crafted.
 * Rather than trust it, every line must have one of the shapes the allocator writes (`renderNetworkMermaid`,
 * `renderCapacityMarkdown`), from a small alphabet: no `@` (a mention), `<` (HTML), `[` (a link), backtick runs
 * (a fence), `://` or `www.` (an autolink). A line of any other shape fails, naming the line.
 */
import { PlanFormatError } from './errors';

/** Far above what any FLAG draws (three zones, two slots each), far below what could flood a comment. */
const MAX_CHARS = 20_000;
const MAX_LINE_CHARS = 1_000;

const ID = '[a-z][a-z0-9]{0,15}';
/** One part of a node label: CIDRs, zone and cell names, and the allocator's fixed words. */
const LABEL_PART = "[A-Za-z0-9/][A-Za-z0-9 .,:/()'-]*";
const LABEL = `\\["${LABEL_PART}(?:<br/>${LABEL_PART})*"\\]`;
const MERMAID_LINE = new RegExp(`^ {2}${ID}(?: (?:-->|-\\.-) ${ID})?(?:${LABEL})?$`);

const ZONE = '[a-z]{2}(?:-[a-z]+)+-[0-9]+[a-z]';
const CAPACITY_LINES: readonly RegExp[] = [
  /^$/,
  /^_No cells yet: no capacity to report\._$/,
  new RegExp(`^\\*\\*Cell \`[a-z][a-z0-9]{0,7}\`\\*\\* \\(${ZONE}(?:, ${ZONE})*, slot [0-9]\\)$`),
  /^\| figure \| value \| formula \| binding \|$/,
  /^\| --- \| ---: \| --- \| --- \|$/,
  // | label | 27,610 | `251 × 110 = 27,610` | worker-addresses |
  /^\| [a-z][A-Za-z ()-]* \| [0-9][0-9,]* \| `[0-9A-Za-z ^()+×=,-]+` \| [a-z0-9 ,-]* \|$/,
  // The note under each table: prose that starts with a capital.
  /^[A-Z][A-Za-z0-9 .,:;'()/^×-]*$/,
];
const AUTOLINK = /:\/\/|www\./i;

/** Throws `STACK_RESULT_INVALID` at `networkDiagram.mermaid` or `.capacityTable` unless both are the allocator's shape. */
export function checkNetworkDiagramText(mermaid: string, capacityTable: string): void {
  checkLines('networkDiagram.mermaid', mermaid, (line, i) =>
    i === 0 ? line === 'flowchart TB' : MERMAID_LINE.test(line),
  );
  checkLines(
    'networkDiagram.capacityTable',
    capacityTable,
    (line) => !AUTOLINK.test(line) && CAPACITY_LINES.some((shape) => shape.test(line)),
  );
}

function checkLines(path: string, text: string, fits: (line: string, index: number) => boolean): void {
  const expected = 'what the allocator draws (kitt network), line by line';
  if (text.length > MAX_CHARS) {
    throw new PlanFormatError(
      'STACK_RESULT_INVALID',
      `${path} is ${text.length} characters, more than the ${MAX_CHARS} a network diagram takes`,
      path,
      `${text.length} characters`,
      expected,
    );
  }
  const lines = text.replace(/\n$/, '').split('\n');
  lines.forEach((line, i) => {
    if (line.length <= MAX_LINE_CHARS && fits(line, i)) return;
    throw new PlanFormatError(
      'STACK_RESULT_INVALID',
      `${path} line ${i + 1} is not a line the allocator writes: the summary was not made by kitt plan, or was changed`,
      path,
      line.length > 120 ? `${line.slice(0, 119)}…` : line,
      expected,
    );
  });
}
