import { etcdHealthCommand } from '@kitt/cell-layer';
import { awsCli } from '../../cluster-access/aws-cli';
import { roll, ROLL_TARGETS, type RollTarget } from '../../cluster-access/roll';
import { defineCommand, UsageError } from '../command';
import { loadCellTarget, pollMs, sleep } from './cell-target';

export const rollCommand = defineCommand({
  name: 'roll',
  usage: `Usage: kitt roll <flag-dir> <cell> etcd|control-plane|workers

Replaces a cell's instances of one role, one at a time, through the aws CLI
(your own credentials): each is terminated in its Auto Scaling group, and the
next waits until its successor is healthy (etcd: three healthy members, one
leader, checked with etcd-health.sh through SSM Run Command) or its node is
Ready (controllers and workers are drained first). Refuses to start unless
etcd is healthy with three members.

Kubernetes upgrades, one minor version at a time, after the plan of the new
launch templates is applied: roll etcd, then control-plane (which first runs
kubeadm upgrade apply to the cell's kubernetesVersion on one controller),
then workers.

Environment:
  KITT_AWS        the aws executable (default: aws on PATH)

Example:
  kitt roll flags/payments/prod/us-east-1 a1 etcd
`,
  options: {},
  positionals: { min: 3, max: 3 },
  async run({ positionals }, ctx) {
    const [flagDir, cell, target] = positionals as [string, string, string];
    if (!(ROLL_TARGETS as readonly string[]).includes(target)) {
      throw new UsageError(`the role to roll must be one of ${ROLL_TARGETS.join(', ')}, got '${target}'`, 'roll');
    }
    const cellTarget = loadCellTarget(ctx, flagDir, cell);
    await roll(
      {
        flag: cellTarget.flag,
        cell,
        target: target as RollTarget,
        kubernetesVersion: cellTarget.kubernetesVersion,
        etcdHealth: etcdHealthCommand(cellTarget),
      },
      { aws: awsCli(ctx.env), sleep, log: (line) => ctx.stdout(`${line}\n`), pollMs: pollMs(ctx, 10_000) },
    );
    ctx.stdout(
      `✓ kitt roll ${target}: every ${target === 'workers' ? 'worker' : target} instance of ${cell} replaced\n`,
    );
    return 0;
  },
});
