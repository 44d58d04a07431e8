/**
 * `kitt render --empty --affected-file F`: what `kitt affected --json` compared and found unchanged, as the
 * empty record lists it. A report that lists stacks to plan is refused: an empty record for it would say
 * "nothing to plan" about a change that has something to plan.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { InputError, type InputIssue } from '@kitt/flag-config';
import { affectedReportSchema } from '../affected/report';
import { issuePath, valueAt } from '../json/issue-path';
import type { UnchangedFlag } from '../plan-markdown';

const EXPECTED = 'the output of `kitt affected --json`';

/** What `--empty` reads of the report: its FLAGs and unchanged stacks, and that it has no stack to plan. */
const emptyReport = z.object({
  flags: affectedReportSchema.shape.flags,
  stacks: z.array(z.unknown()),
  unchanged: affectedReportSchema.shape.unchanged,
});

/** How each field of the report is refused: the message and what would be right. */
const REFUSED = {
  flags: { message: 'flags is not a list of FLAG ids', expected: 'a list of FLAG ids' },
  stacks: { message: 'stacks is not a list', expected: 'a list of stacks to plan (empty for --empty)' },
  unchanged: { message: 'unchanged is not a list', expected: 'a list of unchanged stacks' },
} as const;
const REFUSED_ENTRY = { message: 'is not a stack', expected: 'an object with flag and stack' };

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
  const result = emptyReport.safeParse(json);
  const refused = result.success ? [] : result.error.issues;
  if (refused.some((i) => i.path.length === 0))
    throw new InputError([issue('AFFECTED_FILE_INVALID', '', 'is not a kitt affected report', json)]);
  const issues: InputIssue[] = [];
  for (const field of ['flags', 'stacks', 'unchanged'] as const) {
    const value = (json as Record<string, unknown>)[field];
    // One issue per field, or per entry of `unchanged`, however many of its parts are wrong.
    const refusedAt = new Map(
      refused.filter((i) => i.path[0] === field).map((i) => [issuePath(i.path.slice(0, 2)), i.path.slice(0, 2)]),
    );
    for (const [path, at] of refusedAt) {
      const { message, expected } = at.length === 1 ? REFUSED[field] : REFUSED_ENTRY;
      issues.push(issue('AFFECTED_FILE_INVALID', path, message, valueAt(json, at), expected));
    }
    if (field === 'stacks' && Array.isArray(value) && value.length > 0) {
      const names = value.map((s: unknown) => (isObject(s) && typeof s.stack === 'string' ? s.stack : '?'));
      issues.push(
        issue(
          'AFFECTED_HAS_STACKS',
          'stacks',
          `lists ${value.length} stack(s) to plan: render their summaries instead of --empty`,
          names,
          'no stack to plan',
        ),
      );
    }
  }
  if (issues.length > 0 || !result.success) throw new InputError(issues);
  const byFlag = new Map<string, string[]>(result.data.flags.map((f) => [f, []]));
  for (const { flag, stack } of result.data.unchanged) {
    const list = byFlag.get(flag);
    if (list) list.push(stack);
    else byFlag.set(flag, [stack]);
  }
  return [...byFlag].map(([flagId, flagStacks]) => ({ flagId, stacks: flagStacks }));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
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
