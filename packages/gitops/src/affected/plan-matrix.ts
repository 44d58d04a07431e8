import { parseFlagPath } from '@kitt/flag-config';
import { AffectedError, AffectedErrorCode } from './errors';
import type { AffectedStack, PlanJob, PlanMatrix } from './types';

/** GitHub Actions runs at most 256 jobs per matrix. */
export const MAX_MATRIX_JOBS = 256;

interface FlagToPlan {
  readonly flag: string;
  readonly flagDir: string;
  readonly accountId: string;
  readonly planRoleArn: string;
}

/**
 * The plan jobs for the stacks to plan: one job per FLAG, in the stacks' order.
 * Past `maxJobs` FLAGs, FLAGs are batched several to a job, never mixing AWS
 * accounts (a job assumes one role), with the smallest batch size that fits.
 */
export function planMatrix(
  stacks: readonly Pick<AffectedStack, 'flag' | 'flagDir' | 'accountId' | 'planRoleArn'>[],
  maxJobs = MAX_MATRIX_JOBS,
): PlanMatrix {
  const flags = uniqueFlags(stacks);
  if (flags.length <= maxJobs) {
    return { include: flags.map((f) => job(f.flag, [f])) };
  }
  const byAccount = groupByAccount(flags);
  if (byAccount.length > maxJobs) {
    throw new AffectedError(
      AffectedErrorCode.MATRIX_TOO_LARGE,
      `${byAccount.length} AWS accounts have stacks to plan, more than the ${maxJobs} jobs a matrix holds (one account per job)`,
    );
  }
  const batchSize = smallestBatchSize(
    byAccount.map((g) => g.length),
    maxJobs,
  );
  const include = byAccount.flatMap((group) =>
    chunk(group, batchSize).map((batch, i) => job(`${batch[0]?.accountId}-${i + 1}`, batch)),
  );
  return { include };
}

function job(name: string, batch: readonly FlagToPlan[]): PlanJob {
  const first = batch[0];
  if (!first) throw new Error('planMatrix: empty batch (a bug)');
  return {
    name,
    flagDirs: batch.map((f) => f.flagDir).join(' '),
    accountId: first.accountId,
    planRoleArn: first.planRoleArn,
    awsRegion: parseFlagPath(first.flagDir)?.region ?? '',
  };
}

function uniqueFlags(
  stacks: readonly Pick<AffectedStack, 'flag' | 'flagDir' | 'accountId' | 'planRoleArn'>[],
): FlagToPlan[] {
  const seen = new Map<string, FlagToPlan>();
  for (const s of stacks) {
    if (!seen.has(s.flag)) {
      seen.set(s.flag, { flag: s.flag, flagDir: s.flagDir, accountId: s.accountId, planRoleArn: s.planRoleArn ?? '' });
    }
  }
  return [...seen.values()];
}

function groupByAccount(flags: readonly FlagToPlan[]): FlagToPlan[][] {
  const groups = new Map<string, FlagToPlan[]>();
  for (const f of flags) {
    const key = `${f.accountId} ${f.planRoleArn}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, group]) => group);
}

function smallestBatchSize(groupSizes: readonly number[], maxJobs: number): number {
  for (let size = 1; ; size++) {
    const jobs = groupSizes.reduce((sum, n) => sum + Math.ceil(n / size), 0);
    if (jobs <= maxJobs) return size;
  }
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
