/**
 * The apply workflow's matrix: one job per FLAG the merge touches (so one FLAG's applies never overlap, and
 * different FLAGs apply in parallel), with what that job needs from reviewed config on main: the account's apply
 * role (`flags/org.yaml` `accounts.<id>.applyRoleArn`) and the GitHub Environment of the FLAG's environment
 * (`environments.<env>`, else the environment's own name).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { InputError, loadFlag, loadOrg, parseFlagPath, type OrgConfig } from '@kitt/flag-config';
import { parseAffectedStacks } from '../affected/report';

export interface ApplyJob {
  /** The FLAG id: the job's label and its concurrency group. */
  readonly name: string;
  readonly flagDir: string;
  readonly accountId: string;
  /** '' when org.yaml names no apply role for the account: the job stops with that reason. */
  readonly applyRoleArn: string;
  readonly awsRegion: string;
  /** The GitHub Environment the job runs in. */
  readonly environment: string;
}

export interface ApplyFlag {
  readonly flag: string;
  readonly flagDir: string;
  readonly accountId: string;
}

/** One job per FLAG, in FLAG order. Pure. */
export function applyMatrix(flags: readonly ApplyFlag[], org: OrgConfig): { include: ApplyJob[] } {
  const unique = new Map(flags.map((f) => [f.flag, f]));
  const include = [...unique.values()]
    .sort((a, b) => (a.flag < b.flag ? -1 : 1))
    .map((f) => {
      const triple = parseFlagPath(f.flagDir);
      const environment = triple?.environment ?? '';
      return {
        name: f.flag,
        flagDir: f.flagDir,
        accountId: f.accountId,
        applyRoleArn: org.accounts[f.accountId]?.applyRoleArn ?? '',
        awsRegion: triple?.region ?? '',
        environment: org.environments[environment]?.environment ?? environment,
      };
    });
  return { include };
}

/** The matrix of a `kitt affected --json` report, with the repository's `flags/org.yaml`. */
export function readApplyMatrix(repoDir: string, file: string): { include: ApplyJob[] } {
  const shown = path.relative(repoDir, path.resolve(repoDir, file)) || file;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path.resolve(repoDir, file), 'utf8'));
  } catch (error) {
    throw new InputError([
      {
        code: 'STACKS_FILE_INVALID',
        file: shown,
        path: '',
        message: `cannot read it as JSON: ${(error as Error).message}`,
      },
    ]);
  }
  const parsed = parseAffectedStacks(json, shown);
  if (parsed.issues.length > 0) throw new InputError(parsed.issues);
  const raw = (json as { stacks?: { accountId?: unknown }[] }).stacks ?? (json as { accountId?: unknown }[]);
  const flags = parsed.stacks.map((s, i) => ({
    flag: s.flag,
    flagDir: s.flagDir,
    accountId: String(raw[i]?.accountId ?? ''),
  }));
  return applyMatrix(flags, loadOrg(repoDir));
}

/** The matrix of one FLAG (a retry or an approval, started by hand), from its flag.yaml and `flags/org.yaml`. */
export function readFlagApplyMatrix(repoDir: string, flagDir: string): { include: ApplyJob[] } {
  const flag = loadFlag(repoDir, flagDir);
  return applyMatrix([{ flag: flag.id, flagDir: flag.dir, accountId: flag.aws.accountId }], loadOrg(repoDir));
}
