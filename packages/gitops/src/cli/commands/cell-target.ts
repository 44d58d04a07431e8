import { planNetwork } from '@kitt/allocator';
import { CELL_DEFAULTS, loadFlag, networkInputOf, type Flag } from '@kitt/flag-config';
import { ClusterAccessErrorCode, clusterAccessError } from '../../cluster-access/errors';
import type { CommandContext } from '../command';

/** A cell of a FLAG as day-two commands need it: the plan's etcd members and its Kubernetes version. */
export interface CellTarget {
  readonly flag: Flag;
  readonly cell: string;
  readonly kubernetesVersion: string;
  readonly etcdMembers: readonly { readonly index: number; readonly ip: string; readonly zone: string }[];
}

/** Loads `flag.yaml` and finds the cell in it and in its network plan; an unknown cell is bad input. */
export function loadCellTarget(ctx: CommandContext, flagDir: string, cell: string): CellTarget {
  const flag = loadFlag(ctx.cwd, flagDir);
  const declared = flag.cells.find((candidate) => candidate.name === cell);
  const planned = planNetwork(networkInputOf(flag)).cells.find((candidate) => candidate.name === cell);
  if (declared === undefined || planned === undefined) {
    const known = flag.cells.map((c) => c.name).join(', ');
    throw clusterAccessError(
      ClusterAccessErrorCode.CELL_UNKNOWN,
      'input',
      `${flag.file} has no cell '${cell}' (its cells: ${known || 'none'})`,
    );
  }
  return {
    flag,
    cell,
    kubernetesVersion: declared.kubernetesVersion ?? CELL_DEFAULTS.kubernetesVersion,
    etcdMembers: planned.etcd.map((member, index) => ({ index, ip: member.ip, zone: member.zone })),
  };
}

/** Milliseconds between polls of AWS: `KITT_POLL_MS` (tests set 0), else `fallback`. */
export function pollMs(ctx: CommandContext, fallback: number): number {
  const raw = ctx.env['KITT_POLL_MS'];
  return raw !== undefined && /^\d{1,6}$/.test(raw) ? Number(raw) : fallback;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
