import { LAYERS, flagDirOfId, isLayer, type InputIssue, type Layer } from '@kitt/flag-config';

/** Why `kitt affected` lists a stack. */
export type AffectedStackReason = 'new' | 'config-changed' | 'upstream-changed' | 'removed';

const REASONS: readonly AffectedStackReason[] = ['new', 'config-changed', 'upstream-changed', 'removed'];

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

function entryOf(value: unknown, file: string, path: string, issues: InputIssue[]): AffectedStackEntry | undefined {
  if (typeof value !== 'object' || value === null) {
    issues.push(issue(file, path, value, 'an object {flag, stack, layer, dependsOn, reason}'));
    return undefined;
  }
  const v = value as Record<string, unknown>;
  const before = issues.length;
  for (const key of ['flag', 'stack'] as const) {
    if (typeof v[key] !== 'string' || v[key] === '')
      issues.push(issue(file, `${path}.${key}`, v[key], 'a non-empty string'));
  }
  if (!isLayer(v.layer)) issues.push(issue(file, `${path}.layer`, v.layer, `one of ${LAYERS.join(', ')}`));
  if (!REASONS.includes(v.reason as AffectedStackReason))
    issues.push(issue(file, `${path}.reason`, v.reason, `one of ${REASONS.join(', ')}`));
  if (!Array.isArray(v.dependsOn) || !v.dependsOn.every((d) => typeof d === 'string')) {
    issues.push(issue(file, `${path}.dependsOn`, v.dependsOn, 'a list of stack names'));
  }
  if (v.flagDir !== undefined && typeof v.flagDir !== 'string')
    issues.push(issue(file, `${path}.flagDir`, v.flagDir, 'a string'));
  if (issues.length > before) return undefined;
  const flag = v.flag as string;
  return {
    flag,
    flagDir: (v.flagDir as string | undefined) ?? flagDirOfId(flag),
    stack: v.stack as string,
    layer: v.layer as Layer,
    dependsOn: [...(v.dependsOn as string[])],
    reason: v.reason as AffectedStackReason,
  };
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
  if (base !== undefined && (typeof base !== 'string' || base === ''))
    issues.push(issue(file, 'base', base, 'the base commit, a non-empty string'));
  const stacks = list.flatMap((value, i) => entryOf(value, file, `${path}[${i}]`, issues) ?? []);
  return { stacks, ...(typeof base === 'string' && base !== '' ? { base } : {}), issues };
}
