import { IssueCode } from './errors';
import { ORG_FILE } from './naming';
import { CELL_DEFAULTS } from './schema';
import type { CellSettings, Flag, FlagCell, InputIssue, OrgConfig } from './types';

/** A pinned AMI id as `flags/org.yaml` `amis` writes it; anything else there must be an SSM parameter name. */
export const AMI_ID_PATTERN = /^ami-[0-9a-f]{8}([0-9a-f]{9})?$/;
/** An SSM parameter name (`/aws/service/debian/release/12/latest/amd64`): resolved at launch. */
export const SSM_PARAMETER_NAME_PATTERN = /^\/[A-Za-z0-9_.\-/]{1,1010}$/;

/** A cell's settings with `CELL_DEFAULTS` filled in where the cell leaves one out. */
export function resolveCellSettings(cell: FlagCell): CellSettings {
  return {
    kubernetesVersion: cell.kubernetesVersion ?? CELL_DEFAULTS.kubernetesVersion,
    etcdInstanceType: cell.etcdInstanceType ?? CELL_DEFAULTS.etcdInstanceType,
    controlPlaneInstanceType: cell.controlPlaneInstanceType ?? CELL_DEFAULTS.controlPlaneInstanceType,
    workerInstanceTypes: cell.workerInstanceTypes ?? CELL_DEFAULTS.workerInstanceTypes,
    workerMinSize: cell.workerMinSize ?? CELL_DEFAULTS.workerMinSize,
    workerMaxSize: cell.workerMaxSize ?? CELL_DEFAULTS.workerMaxSize,
    rootVolumeSizeGiB: cell.rootVolumeSizeGiB ?? CELL_DEFAULTS.rootVolumeSizeGiB,
    etcdVolumeSizeGiB: cell.etcdVolumeSizeGiB ?? CELL_DEFAULTS.etcdVolumeSizeGiB,
  };
}

/**
 * What a FLAG with cells needs beyond its own file: `flags/org.yaml` must
 * name a `domain` (each cell's API endpoint is `api.<cell>.<flag-id>.<domain>`
 * in the FLAG's private zone) and an AMI for the FLAG's region; and each
 * cell's worker sizes must make sense together. A FLAG without cells needs
 * none of it. Pure: `kitt check` and synthesis both call it.
 */
export function cellRequirementIssues(flag: Flag, org: OrgConfig): InputIssue[] {
  if (flag.cells.length === 0) return [];
  const issues: InputIssue[] = [];
  if (org.domain === undefined) {
    issues.push({
      code: IssueCode.CELL_DOMAIN_MISSING,
      file: flag.file,
      path: 'cells',
      message: `${flag.id} has cells, but ${ORG_FILE} names no domain for their API endpoints (api.<cell>.${flag.id}.<domain>)`,
      expected: `a domain in ${ORG_FILE}, e.g. domain: kitt.example.com`,
    });
  }
  const ami = org.amis[flag.region];
  if (ami === undefined) {
    issues.push({
      code: IssueCode.CELL_AMI_MISSING,
      file: flag.file,
      path: 'cells',
      message: `${flag.id} has cells, but ${ORG_FILE} names no AMI for ${flag.region}`,
      expected: `amis.${flag.region} in ${ORG_FILE}: an AMI id (ami-...) or an SSM parameter name (/aws/service/...)`,
    });
  } else if (!AMI_ID_PATTERN.test(ami) && !SSM_PARAMETER_NAME_PATTERN.test(ami)) {
    issues.push({
      code: IssueCode.CELL_AMI_INVALID,
      file: ORG_FILE,
      path: `amis.${flag.region}`,
      message: `the AMI of ${flag.region} is neither an AMI id nor an SSM parameter name`,
      received: ami,
      expected: 'ami- and 8 or 17 hex digits, or an SSM parameter name starting with /',
    });
  }
  flag.cells.forEach((cell, index) => {
    const { workerMinSize, workerMaxSize } = resolveCellSettings(cell);
    if (workerMinSize > workerMaxSize) {
      issues.push({
        code: IssueCode.CELL_WORKER_SIZE_INVALID,
        file: flag.file,
        path: `cells[${index}].workerMinSize`,
        message: `cell ${cell.name} keeps at least ${workerMinSize} workers but may have at most ${workerMaxSize}`,
        received: workerMinSize,
        expected: `at most workerMaxSize (${workerMaxSize})`,
      });
    }
  });
  return issues;
}
