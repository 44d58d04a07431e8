import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { IssueCode } from './errors';
import { parsePath, type PathSegment } from './paths';
import type { InputIssue } from './types';

/** A parsed YAML file that still knows where each value came from. */
export interface YamlSource {
  /** The document as plain JS (null for an empty file); undefined when it does not parse. */
  readonly value: unknown;
  /** Syntax problems; when there are any, `value` is undefined. */
  readonly issues: readonly InputIssue[];
  /**
   * 1-based line of `path` (the key's line for a mapping entry, the item's for a
   * list entry). For a path that does not exist, the line of its deepest existing
   * ancestor (where the missing field belongs); undefined at the top level.
   */
  lineOf(path: string | readonly PathSegment[]): number | undefined;
}

export function readYaml(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const lineOf = (path: string | readonly PathSegment[]) =>
    locate(doc, lineCounter, typeof path === 'string' ? parsePath(path) : path);
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((error): InputIssue => {
      const line = lineCounter.linePos(error.pos[0]).line;
      const column = lineCounter.linePos(error.pos[0]).col;
      const duplicate = error.code === 'DUPLICATE_KEY';
      return {
        code: duplicate ? IssueCode.DUPLICATE_KEY : IssueCode.YAML_SYNTAX,
        file,
        path: '',
        message: `${firstLine(error.message)} (line ${line}, column ${column})`,
        expected: duplicate ? 'each key once per mapping' : 'valid YAML',
        line,
      };
    });
    return { value: undefined, issues, lineOf };
  }
  try {
    return { value: doc.toJS({ maxAliasCount: 100 }) as unknown, issues: [], lineOf };
  } catch (error) {
    // An alias expanding into too many nodes (a "billion laughs" document).
    return {
      value: undefined,
      issues: [
        {
          code: IssueCode.YAML_SYNTAX,
          file,
          path: '',
          message: (error as Error).message,
          expected: 'valid YAML without runaway aliases',
        },
      ],
      lineOf,
    };
  }
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

function locate(doc: Document, lineCounter: LineCounter, path: readonly PathSegment[]): number | undefined {
  let node: unknown = doc.contents;
  let line: number | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      const start = pair && (pair.key as Node).range?.[0];
      if (start === undefined) return line;
      line = lineCounter.linePos(start).line;
      node = pair?.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      const start = item?.range?.[0];
      if (start === undefined) return line;
      line = lineCounter.linePos(start).line;
      node = item;
    } else {
      return line;
    }
  }
  return line;
}
