/**
 * The `kitt affected --json` report as the commands that read it back rely on it (`kitt plan` its stacks and
 * base, `kitt render --empty` its FLAGs and unchanged stacks): one schema, read by both. Fields no reader uses
 * (accounts, the matrix, warnings) are not checked.
 */
import { z } from 'zod';
import { LAYERS, flagDirOfId, type InputIssue, type Layer } from '@kitt/flag-config';
import { issuePath, valueAt } from '../json/issue-path';

/** Why `kitt affected` lists a stack. */
export const AFFECTED_STACK_REASONS = ['new', 'config-changed', 'upstream-changed', 'removed'] as const;
export type AffectedStackReason = (typeof AFFECTED_STACK_REASONS)[number];

// Each schema's error text is what would be right.
const nonEmpty = (expected: string) => z.string({ error: expected }).min(1, { error: expected });
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `one of ${values.join(', ')}` });
/** A list of strings, refused as a whole (its path is the list's) when it is not one. */
const names = (expected: string) =>
  z
    .array(z.unknown(), { error: expected })
    .refine((list) => list.every((item) => typeof item === 'string'), { error: expected })
    .transform((list) => list as string[]);

/** A stack to plan, as the report lists it: the fields `kitt plan` reads. */
const stackToPlan = z.object(
  {
    /** FLAG id. */
    flag: nonEmpty('a non-empty string'),
    stack: nonEmpty('a non-empty string'),
    layer: oneOf(LAYERS),
    reason: oneOf(AFFECTED_STACK_REASONS),
    dependsOn: names('a list of stack names'),
    /** Repo-relative FLAG directory. @default `flags/<customer>/<environment>/<region>` from the id */
    flagDir: z.string({ error: 'a string' }).optional(),
  },
  { error: 'an object {flag, stack, layer, dependsOn, reason}' },
);

/** The report's fields that are read back, in the order they are checked. */
export const affectedReportSchema = z.object({
  /** The commit the report compared against (full SHA): removed stacks are synthesized there. */
  base: nonEmpty('the base commit, a non-empty string').optional(),
  /** FLAGs whose stacks were synthesized and compared. */
  flags: names('a list of FLAG ids'),
  /** Stacks to plan, in apply order. */
  stacks: z.array(stackToPlan, { error: 'a list of stacks' }),
  /** Stacks of the compared FLAGs that need no plan. */
  unchanged: z.array(z.object({ flag: z.string(), stack: z.string() }, { error: 'an object with flag and stack' }), {
    error: 'a list of unchanged stacks',
  }),
});

/** A stack to plan, as `kitt affected --json` lists it (the fields `kitt plan` reads). */
export interface AffectedStackEntry {
  /** FLAG id. */
  readonly flag: string;
  /** Repo-relative FLAG directory. @default `flags/<customer>/<environment>/<region>` from the id */
  readonly flagDir: string;
  readonly stack: string;
  readonly layer: Layer;
  readonly dependsOn: readonly string[];
  readonly reason: AffectedStackReason;
}

function issue(file: string, path: string, received: unknown, expected: string): InputIssue {
  return { code: 'STACKS_FILE_INVALID', file, path, message: `expected ${expected}`, received, expected };
}

/** One stack to plan, or its issues (paths under `at`). */
function entryOf(value: unknown, file: string, at: readonly PropertyKey[], issues: InputIssue[]): AffectedStackEntry[] {
  const result = affectedReportSchema.shape.stacks.element.safeParse(value);
  if (!result.success) {
    for (const { path, message } of result.error.issues)
      issues.push(issue(file, issuePath([...at, ...path]), valueAt(value, path), message));
    return [];
  }
  const { flag, flagDir, stack, layer, dependsOn, reason } = result.data;
  return [{ flag, flagDir: flagDir ?? flagDirOfId(flag), stack, layer, dependsOn: [...dependsOn], reason }];
}

/** What `kitt plan` reads of a `kitt affected --json` report. */
export interface AffectedStacksFile {
  readonly stacks: AffectedStackEntry[];
  /** The commit the report compared against (full SHA): removed stacks are synthesized there. @default absent (a bare list) */
  readonly base?: string;
  readonly issues: InputIssue[];
}

/**
 * The stacks to plan from `kitt affected --json` output: the whole report
 * (its `stacks` and `base`) or a bare list. Returns every problem found, not
 * the first; fields `kitt plan` does not read are ignored.
 */
export function parseAffectedStacks(json: unknown, file: string): AffectedStacksFile {
  const list = Array.isArray(json) ? json : (json as { stacks?: unknown } | null)?.stacks;
  const path = Array.isArray(json) ? '' : 'stacks';
  if (!Array.isArray(list)) {
    return {
      stacks: [],
      issues: [
        issue(file, path, json, 'the output of `kitt affected --json` (an object with `stacks`, or a list of stacks)'),
      ],
    };
  }
  const issues: InputIssue[] = [];
  const base = Array.isArray(json) ? undefined : (json as { base?: unknown }).base;
  const checkedBase = affectedReportSchema.shape.base.safeParse(base);
  if (!checkedBase.success) issues.push(issue(file, 'base', base, checkedBase.error.issues[0]?.message ?? ''));
  const at = Array.isArray(json) ? [] : ['stacks'];
  const stacks = list.flatMap((value, i) => entryOf(value, file, [...at, i], issues));
  return { stacks, ...(typeof base === 'string' && base !== '' ? { base } : {}), issues };
}
