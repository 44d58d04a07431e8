import { loadFlag, loadOrg, type Flag } from '@kitt/flag-config';
import { ClusterAccessErrorCode, clusterAccessError } from '../../cluster-access/errors';

/** A cell named on the command line, with its FLAG and the org's domain its API is named under. */
export interface CellTarget {
  readonly flag: Flag;
  readonly cell: string;
  readonly domain: string;
}

/** `<flag-dir> <cell>`: the FLAG loaded, the cell checked against it, and `flags/org.yaml`'s domain. */
export function loadCellTarget(cwd: string, flagDir: string, cell: string): CellTarget {
  const flag = loadFlag(cwd, flagDir);
  if (!flag.cells.some((c) => c.name === cell)) {
    const known = flag.cells.map((c) => c.name).join(', ');
    throw clusterAccessError(
      ClusterAccessErrorCode.CELL_UNKNOWN,
      'input',
      `${flag.file} has no cell '${cell}' (its cells: ${known || 'none'})`,
    );
  }
  const { domain } = loadOrg(cwd);
  if (domain === undefined) {
    throw clusterAccessError(
      ClusterAccessErrorCode.DOMAIN_MISSING,
      'input',
      `flags/org.yaml has no domain: a cell's API is named api.<cell>.<flag-id>.<domain>`,
    );
  }
  return { flag, cell, domain };
}
