/** `kitt apply`'s option readers and progress lines, apart so the command stays a thin edge. */
import * as path from 'node:path';
import { flagIdOfDir } from '@kitt/flag-config';
import type { StackApplyResult } from '../../apply/apply-stacks';
import type { ApplyOutcome } from '../../apply/run-apply';
import { UsageError, type CommandContext } from '../command';

const MARKS: Readonly<Record<StackApplyResult['outcome'], string>> = {
  applied: '✓',
  'no-changes': '=',
  'needs-approval': '!',
  failed: '✗',
  'not-applied': '-',
};

export function progressLine(ctx: CommandContext) {
  return (r: StackApplyResult) =>
    ctx.stdout(
      `${MARKS[r.outcome]} ${r.stack}${r.destroy ? ' (destroy)' : ''}: ${r.outcome.replace('-', ' ')}${r.reason ? ` (${r.reason})` : ''}\n`,
    );
}

/** The closing lines: per merge the run went through, its result and record. */
export function outcomeLines(ctx: CommandContext, outcome: ApplyOutcome): void {
  if (outcome.merges.length === 0) ctx.stdout('= nothing to apply: every merge has its finished apply record\n');
  for (const merge of outcome.merges) {
    const waiting = merge.results?.filter((r) => r.outcome === 'needs-approval').length ?? 0;
    if (waiting > 0) ctx.stdout(`! ${waiting} stack(s) need approval: their plans are posted on #${merge.pr}\n`);
    ctx.stdout(`✓ apply record posted on #${merge.pr}${merge.recordUrl ? `: ${merge.recordUrl}` : ''}\n`);
  }
}

export function flagIdOption(dir: string | undefined, cwd: string): string | undefined {
  if (dir === undefined) return undefined;
  const relative = path.relative(cwd, path.resolve(cwd, dir)).split(path.sep).join('/');
  try {
    return flagIdOfDir(relative);
  } catch {
    throw new UsageError(
      `--flag must be a FLAG directory flags/<customer>/<environment>/<region>, got '${dir}'`,
      'apply',
    );
  }
}

export function commitOption(value: string | undefined, sha: string | undefined): string {
  const commit = value ?? sha;
  if (commit === undefined)
    throw new UsageError('--commit is required outside GitHub Actions (GITHUB_SHA is not set)', 'apply');
  if (!/^[0-9a-fA-F]{40}$/.test(commit))
    throw new UsageError(`--commit must be a full commit SHA, got '${commit}'`, 'apply');
  return commit.toLowerCase();
}

export function numberOption(value: string | undefined, name: string, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d{0,18}$/.test(value)) throw new UsageError(`--${name} must be ${what}, got '${value}'`, 'apply');
  return Number(value);
}

/** `--approve` needs `--pr` and `--record` (`--flag`, when given, must be the record's FLAG). */
export function approveOptions(
  values: { approve?: boolean; record?: string },
  pr: number | undefined,
): { pr: number; recordId: number } | undefined {
  const recordId = numberOption(values.record, 'record', 'a comment id');
  if (!values.approve) {
    if (recordId !== undefined) throw new UsageError('--record goes with --approve', 'apply');
    return undefined;
  }
  if (pr === undefined || recordId === undefined)
    throw new UsageError('--approve needs --pr N and --record <comment id>', 'apply');
  return { pr, recordId };
}
