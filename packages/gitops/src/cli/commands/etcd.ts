import { restorePlanOf } from '@kitt/cell-layer';
import { etcdSnapshotBucketName, etcdSnapshotPrefix } from '@kitt/flag-config';
import { awsCli } from '../../cluster-access/aws-cli';
import { ClusterAccessErrorCode, clusterAccessError } from '../../cluster-access/errors';
import { formatRestoreSteps, runRestore } from '../../cluster-access/etcd-restore';
import { defineCommand, UsageError } from '../command';
import { loadCellTarget, pollMs, sleep } from './cell-target';

export const etcdCommand = defineCommand({
  name: 'etcd',
  usage: `Usage: kitt etcd restore <flag-dir> <cell> --snapshot S3-KEY [--dry-run]

Restores a cell's etcd from one of its snapshots in the FLAG's snapshot
bucket (keys etcd/<cell>/<timestamp>.db). Prints the ordered steps, then
runs them on the three members through SSM Run Command with the aws CLI
(your own credentials): stop every member, download the snapshot, set each
data directory aside, restore each member into a fresh one as a new
cluster, start them, and wait until etcd is healthy with three members.
The Kubernetes API is down from the first step to the last.

Options:
  --snapshot S3-KEY  the snapshot's key in the bucket, e.g. etcd/a1/20261202T060000Z.db
  --dry-run          print the steps only: no AWS call

Environment:
  KITT_AWS           the aws executable (default: aws on PATH)
`,
  options: { snapshot: { type: 'string' }, 'dry-run': { type: 'boolean' } },
  positionals: { min: 3, max: 3 },
  async run({ values, positionals }, ctx) {
    const [action, flagDir, cell] = positionals as [string, string, string];
    if (action !== 'restore') throw new UsageError(`unknown etcd action '${action}' (expected restore)`, 'etcd');
    if (values.snapshot === undefined) throw new UsageError('--snapshot S3-KEY is required', 'etcd');
    const target = loadCellTarget(ctx, flagDir, cell);
    const bucket = etcdSnapshotBucketName(target.flag);
    const key = values.snapshot;
    if (!key.startsWith(etcdSnapshotPrefix(cell))) {
      throw clusterAccessError(
        ClusterAccessErrorCode.SNAPSHOT_INVALID,
        'input',
        `--snapshot ${key} is not a snapshot of cell ${cell}: its snapshots are the keys under ${etcdSnapshotPrefix(cell)} of s3://${bucket}`,
      );
    }
    const steps = restorePlanOf(
      { flagId: target.flag.id, cell, etcdMembers: target.etcdMembers },
      `s3://${bucket}/${key}`,
    );
    ctx.stdout(
      `Restore of etcd of cell ${cell} of ${target.flag.id} from s3://${bucket}/${key}:\n${formatRestoreSteps(steps)}`,
    );
    if (values['dry-run'] === true) return 0;
    await runRestore(target.flag, cell, steps, {
      aws: awsCli(ctx.env),
      sleep,
      log: (line) => ctx.stdout(`${line}\n`),
      pollMs: pollMs(ctx, 5000),
    });
    ctx.stdout(`✓ kitt etcd restore: cell ${cell} runs on the restored etcd\n`);
    return 0;
  },
});
