import type { FlagIdentity } from '@kitt/flag-config';
import type { RestoreStep } from '@kitt/cell-layer';
import type { AwsRunner } from './aws-cli';
import { describeCellInstances, etcdInstancesByMember, type CellInstance } from './cell-instances';
import { ClusterAccessErrorCode, clusterAccessError } from './errors';
import { runOnInstance, runStep, shellLine, type RunOptions } from './ssm-command';

/** The steps as a person reads them: numbered, each with its member and its command line. */
export function formatRestoreSteps(steps: readonly RestoreStep[]): string {
  return steps
    .map(
      (step, index) =>
        `${index + 1}. ${step.description}${step.member === undefined ? ' (on etcd-0)' : ''}\n     ${shellLine(step.argv)}\n`,
    )
    .join('');
}

export interface RestoreDeps {
  readonly aws: AwsRunner;
  readonly sleep: (ms: number) => Promise<void>;
  readonly log: (line: string) => void;
  /** @default 5000 */
  readonly pollMs?: number;
  /** Health checks before the restored cluster counts as failed. @default 60 */
  readonly maxWaits?: number;
}

/**
 * Runs a restore's steps in order through SSM Run Command, each on its
 * member's one running instance; stops at the first step that fails. The
 * last step (the health check) is repeated until it passes.
 */
export async function runRestore(
  flag: FlagIdentity,
  cell: string,
  steps: readonly RestoreStep[],
  deps: RestoreDeps,
): Promise<void> {
  const where = `cell ${cell} of ${flag.id}`;
  const run: RunOptions = { region: flag.region, sleep: deps.sleep, pollMs: deps.pollMs ?? 5000 };
  const instances = etcdInstancesByMember(await describeCellInstances(deps.aws, flag, cell, 'etcd'), where);
  const instanceOf = (member: string | undefined): CellInstance => {
    const index = member === undefined ? 0 : Number(/^etcd-([0-2])$/.exec(member)?.[1] ?? NaN);
    const instance = instances[index];
    if (instance === undefined)
      throw clusterAccessError(
        ClusterAccessErrorCode.INSTANCES_UNEXPECTED,
        'external',
        `${where} has no member ${member}`,
      );
    return instance;
  };
  for (const [index, step] of steps.entries()) {
    const instance = instanceOf(step.member);
    const label = `step ${index + 1}/${steps.length}: ${step.description}`;
    if (step.kind !== 'wait-healthy') {
      await runStep(
        deps.aws,
        instance.instanceId,
        [shellLine(step.argv)],
        `kitt etcd restore ${label}`.slice(0, 100),
        run,
      );
      deps.log(`✓ ${label} (${instance.instanceId})`);
      continue;
    }
    const maxWaits = deps.maxWaits ?? 60;
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await runOnInstance(
        deps.aws,
        instance.instanceId,
        [shellLine(step.argv)],
        'kitt etcd restore: health',
        run,
      );
      if (outcome.status === 'Success') break;
      if (attempt >= maxWaits) {
        throw clusterAccessError(
          ClusterAccessErrorCode.ROLL_TIMEOUT,
          'external',
          `the restored etcd of ${where} was not healthy after ${maxWaits} checks: ${(outcome.stdout + outcome.stderr).trim()}`,
        );
      }
      await deps.sleep(deps.pollMs ?? 5000);
    }
    deps.log(`✓ ${label}`);
  }
}
