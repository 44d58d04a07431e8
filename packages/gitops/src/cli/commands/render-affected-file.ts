/**
 * `kitt render --empty --affected-file F`: what `kitt affected --json` compared and found unchanged, as the
 * empty record lists it. A report that lists stacks to plan is refused: an empty record for it would say
 * "nothing to plan" about a change that has something to plan.
 */
import { readFile } from 'node:fs/promises';
import { InputError, type InputIssue } from '@kitt/flag-config';
import type { UnchangedFlag } from '../../plan-markdown';

const EXPECTED = 'the output of `kitt affected --json`';

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The FLAGs of a parsed `kitt affected --json` report, each with its unchanged stacks, in the report's order. */
export function unchangedFlagsOf(json: unknown, file: string): UnchangedFlag[] {
  const issue = (code: string, path: string, message: string, received: unknown, expected = EXPECTED): InputIssue => ({
    code,
    file,
    path,
    message,
    received,
    expected,
  });
  if (!isObject(json))
    throw new InputError([issue('AFFECTED_FILE_INVALID', '', 'is not a kitt affected report', json)]);
  const issues: InputIssue[] = [];
  const { flags, stacks, unchanged } = json;
  if (!Array.isArray(flags) || !flags.every((f) => typeof f === 'string')) {
    issues.push(
      issue('AFFECTED_FILE_INVALID', 'flags', 'flags is not a list of FLAG ids', flags, 'a list of FLAG ids'),
    );
  }
  if (!Array.isArray(stacks)) {
    issues.push(
      issue(
        'AFFECTED_FILE_INVALID',
        'stacks',
        'stacks is not a list',
        stacks,
        'a list of stacks to plan (empty for --empty)',
      ),
    );
  } else if (stacks.length > 0) {
    const names = stacks.map((s: unknown) => (isObject(s) && typeof s.stack === 'string' ? s.stack : '?'));
    issues.push(
      issue(
        'AFFECTED_HAS_STACKS',
        'stacks',
        `lists ${stacks.length} stack(s) to plan: render their summaries instead of --empty`,
        names,
        'no stack to plan',
      ),
    );
  }
  const entries: { flag: string; stack: string }[] = [];
  if (!Array.isArray(unchanged)) {
    issues.push(
      issue('AFFECTED_FILE_INVALID', 'unchanged', 'unchanged is not a list', unchanged, 'a list of unchanged stacks'),
    );
  } else {
    unchanged.forEach((entry: unknown, i) => {
      if (isObject(entry) && typeof entry.flag === 'string' && typeof entry.stack === 'string')
        entries.push({ flag: entry.flag, stack: entry.stack });
      else
        issues.push(
          issue('AFFECTED_FILE_INVALID', `unchanged[${i}]`, 'is not a stack', entry, 'an object with flag and stack'),
        );
    });
  }
  if (issues.length > 0) throw new InputError(issues);
  const byFlag = new Map<string, string[]>((flags as string[]).map((f) => [f, []]));
  for (const { flag, stack } of entries) {
    const list = byFlag.get(flag);
    if (list) list.push(stack);
    else byFlag.set(flag, [stack]);
  }
  return [...byFlag].map(([flagId, flagStacks]) => ({ flagId, stacks: flagStacks }));
}

/** Reads and checks the report; `shown` is the file as the person typed it, for messages. */
export async function readUnchangedFlags(file: string, shown: string): Promise<UnchangedFlag[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code !== undefined ? `cannot read the file (${code})` : `cannot read it as JSON: ${(error as Error).message}`;
    throw new InputError([
      { code: 'AFFECTED_FILE_UNREADABLE', file: shown, path: '', message: why, expected: EXPECTED },
    ]);
  }
  return unchangedFlagsOf(json, shown);
}
