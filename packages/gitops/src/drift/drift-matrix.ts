/**
 * The drift workflow's plan jobs: every FLAG on main, one job per FLAG (batched past GitHub's 256 jobs, never
 * mixing accounts), each with its account's plan role from main's `flags/org.yaml`: read-only, as pull request
 * plans, since a drift plan takes no state lock.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { flagIdOfDir, ORG_FILE } from '@kitt/flag-config';
import { accountIdOf, planRolesOf } from '../affected/accounts';
import { planMatrix } from '../affected/plan-matrix';
import type { PlanMatrix } from '../affected/types';
import { flagDirsInWorkingTree } from '../checkout/source-tree';

export function driftMatrix(repoDir: string): PlanMatrix {
  const orgFile = join(repoDir, ORG_FILE);
  const roles = planRolesOf(existsSync(orgFile) ? readFileSync(orgFile, 'utf8') : undefined);
  const flags = flagDirsInWorkingTree(repoDir).map((flagDir) => {
    const file = `${flagDir}/flag.yaml`;
    const accountId = accountIdOf(readFileSync(join(repoDir, file), 'utf8'), file);
    return { flag: flagIdOfDir(flagDir), flagDir, accountId, planRoleArn: roles.get(accountId) ?? '' };
  });
  return planMatrix(flags);
}
