import type { CellInput } from '@kitt/allocator';
import { resolveCellSettings } from './cell-requirements';
import { IssueCode } from './errors';
import { ORG_FILE } from './naming';
import type { Flag, InputIssue, OrgConfig } from './types';

/**
 * The rules that keep every existing CIDR where it is between two versions of
 * one FLAG (a moved subnet is a destroyed subnet): zones are append-only, a
 * cell keeps its zone and slot, a slot a removed cell freed is not reused in
 * the same change (the old cell's resources must be gone before a new cell
 * takes its addresses), and neither the VPC, the topology, the AWS account
 * nor the pod network changes.
 * Issues are on `head`'s file; paths are `head`'s.
 */
export function checkStability(base: Flag, head: Flag): InputIssue[] {
  const issue = (code: IssueCode, path: string, message: string, received: unknown, expected: string): InputIssue => ({
    code,
    file: head.file,
    path,
    message,
    received,
    expected,
  });
  const issues: InputIssue[] = [];

  if (base.network.vpcCidr !== head.network.vpcCidr) {
    issues.push(
      issue(
        IssueCode.STABILITY_VPC_CHANGED,
        'network.vpcCidr',
        `the VPC changed from ${base.network.vpcCidr}: every subnet, and every cell with it, would be destroyed and recreated`,
        head.network.vpcCidr,
        `${base.network.vpcCidr} (a new VPC is a new FLAG)`,
      ),
    );
  }
  if (base.topology !== head.topology) {
    issues.push(
      issue(
        IssueCode.STABILITY_TOPOLOGY_CHANGED,
        'topology',
        `the topology changed from ${base.topology}: every cell's subnets would move`,
        head.topology,
        `${base.topology} (a new topology is a new FLAG)`,
      ),
    );
  }
  if (base.aws.accountId !== head.aws.accountId) {
    issues.push(
      issue(
        IssueCode.STABILITY_ACCOUNT_CHANGED,
        'aws.accountId',
        `the AWS account changed from ${base.aws.accountId}: the FLAG's state describes resources in that account, ` +
          `so the plan would create everything anew in ${head.aws.accountId} and orphan what runs in ${base.aws.accountId}`,
        head.aws.accountId,
        `"${base.aws.accountId}" (to move to another account, create a new FLAG there, move the workloads, then remove this FLAG)`,
      ),
    );
  }
  const podNetwork = [
    ['podCidr', base.network.podCidr, head.network.podCidr],
    ['nodePodPrefix', base.network.nodePodPrefix, head.network.nodePodPrefix],
  ] as const;
  // Without cells nothing was built with the pod network: it is free to change.
  for (const [key, before, after] of base.cells.length === 0 ? [] : podNetwork) {
    if (before === after) continue;
    issues.push(
      issue(
        IssueCode.STABILITY_POD_NETWORK_CHANGED,
        `network.${key}`,
        `network.${key} changed from ${before}: running cells keep the pod network they were built with ` +
          "(every node's pod subnet comes from it), so existing cells and new ones would disagree",
        after,
        `${before} (to change it, replace the cells: remove every cell in one change, apply it, ` +
          `then change ${key} and add new cells; or create a new FLAG with the new value and move the workloads)`,
      ),
    );
  }
  issues.push(...zoneIssues(base.network.zones, head.network.zones, issue));
  issues.push(...cellIssues(base, head, issue));
  issues.push(...kubernetesVersionIssues(base, head, issue));
  return issues;
}

/** `1.34.2` → [1, 34, 2]; the schema has checked the shape. */
function versionParts(version: string): [number, number, number] {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map(Number);
  return [major, minor, patch];
}

/**
 * A cell upgrades one minor version at a time and never goes down: kubeadm
 * upgrades a control plane from one minor to the next only, and has no
 * downgrade. Compared with the base version of the same cell, defaults filled.
 */
function kubernetesVersionIssues(base: Flag, head: Flag, issue: MakeIssue): InputIssue[] {
  const baseByName = new Map(base.cells.map((cell) => [cell.name, resolveCellSettings(cell).kubernetesVersion]));
  return head.cells.flatMap((cell, i): InputIssue[] => {
    const before = baseByName.get(cell.name);
    const after = resolveCellSettings(cell).kubernetesVersion;
    if (before === undefined || before === after) return [];
    const [bMajor, bMinor, bPatch] = versionParts(before);
    const [aMajor, aMinor, aPatch] = versionParts(after);
    const path = `cells[${i}].kubernetesVersion`;
    if (aMajor < bMajor || (aMajor === bMajor && (aMinor < bMinor || (aMinor === bMinor && aPatch < bPatch)))) {
      return [
        issue(
          IssueCode.STABILITY_KUBERNETES_DOWNGRADE,
          path,
          `cell ${cell.name} would go down from Kubernetes ${before} to ${after}: kubeadm has no downgrade`,
          after,
          `${before} or later (to go back, replace the cell: add a new cell with ${after}, move the workloads, remove this one)`,
        ),
      ];
    }
    if (aMajor !== bMajor || aMinor > bMinor + 1) {
      const next = `${bMajor}.${bMinor + 1}`;
      return [
        issue(
          IssueCode.STABILITY_KUBERNETES_MINOR_SKIPPED,
          path,
          `cell ${cell.name} would jump from Kubernetes ${before} to ${after}: kubeadm upgrades one minor version at a time`,
          after,
          `a ${next}.x version first (apply it and roll the cell: etcd, control plane, workers), then the next minor in a later change`,
        ),
      ];
    }
    return [];
  });
}

type MakeIssue = (code: IssueCode, path: string, message: string, received: unknown, expected: string) => InputIssue;

function zoneIssues(base: readonly string[], head: readonly string[], issue: MakeIssue): InputIssue[] {
  const appendOnly = `${JSON.stringify(base)} first, new zones after them`;
  const removed = base.filter((zone) => !head.includes(zone));
  const issues = removed.map((zone) =>
    issue(
      IssueCode.STABILITY_ZONE_REMOVED,
      'network.zones',
      `zone ${zone} was removed: zones are append-only, and a zone's position fixes the addresses of every zone after it`,
      head,
      appendOnly,
    ),
  );
  // With nothing removed, the base zones must be the head's first zones; otherwise their relative order must hold.
  const kept = base.filter((zone) => head.includes(zone));
  const compared = removed.length === 0 ? head.slice(0, base.length) : head.filter((zone) => base.includes(zone));
  const reordered = kept.some((zone, i) => compared[i] !== zone);
  if (reordered) {
    issues.push(
      issue(
        IssueCode.STABILITY_ZONE_REORDERED,
        'network.zones',
        `zones were reordered: a zone's position is its place in the address grid, so reordering moves subnets`,
        head,
        appendOnly,
      ),
    );
  }
  return issues;
}

/** Where a cell sits in the grid: zone (single-AZ) and slot. */
function placeOf(cell: CellInput): string {
  return cell.zone === undefined ? `slot ${cell.slot}` : `${cell.zone} slot ${cell.slot}`;
}

function cellIssues(base: Flag, head: Flag, issue: MakeIssue): InputIssue[] {
  const baseByName = new Map(base.cells.map((cell) => [cell.name, cell]));
  const headNames = new Set(head.cells.map((cell) => cell.name));
  const freed = new Map(
    base.cells.filter((cell) => !headNames.has(cell.name)).map((cell) => [placeOf(cell), cell.name]),
  );
  return head.cells.flatMap((cell, i): InputIssue[] => {
    const before = baseByName.get(cell.name);
    if (before && placeOf(before) !== placeOf(cell)) {
      return [
        issue(
          IssueCode.STABILITY_CELL_MOVED,
          `cells[${i}]`,
          `cell ${cell.name} moved from ${placeOf(before)} to ${placeOf(cell)}: its subnets would be destroyed and recreated`,
          { zone: cell.zone, slot: cell.slot },
          `${placeOf(before)} (to move a cell, add a new cell and remove the old one in separate changes)`,
        ),
      ];
    }
    const freedBy = before ? undefined : freed.get(placeOf(cell));
    if (freedBy !== undefined) {
      return [
        issue(
          IssueCode.STABILITY_SLOT_REUSED,
          `cells[${i}]`,
          `new cell ${cell.name} takes ${placeOf(cell)}, which cell ${freedBy} frees in this same change: ` +
            'its resources must be destroyed before the addresses are reused',
          { zone: cell.zone, slot: cell.slot },
          'another free place now, or this place in a later change once the removal is applied',
        ),
      ];
    }
    return [];
  });
}

/**
 * The state backend of every stack (`state` in flags/org.yaml) between two
 * versions: a changed bucket, region or endpoint makes every stack start from empty
 * state, planning to create everything that already exists.
 */
export function checkBackendStability(base: OrgConfig, head: OrgConfig): InputIssue[] {
  const shown = (value: string | undefined) => value ?? 'AWS S3 (no endpoint)';
  return (['bucket', 'region', 'endpoint'] as const).flatMap((key): InputIssue[] =>
    base.state[key] === head.state[key]
      ? []
      : [
          {
            code: IssueCode.STABILITY_BACKEND_CHANGED,
            file: ORG_FILE,
            path: `state.${key}`,
            message:
              `the state ${key} changed from ${shown(base.state[key])}: ` +
              'every stack would start from empty state and plan to create what already exists',
            received: head.state[key] ?? null,
            expected:
              `${shown(base.state[key])} (moving the state is a migration: copy every state object to the new backend ` +
              "under the same keys first, then change this with the platform team's review)",
          },
        ],
  );
}

/**
 * An account's plan role against base's. The plan workflow assumes the role base's org.yaml names (the pull
 * request's own code computes the matrix, so that stops mistakes); a pull request that names another fails its
 * checks here, so it cannot choose the role its own run assumes. A role changes in a pull request of its own,
 * after an administrator made the role with `kitt bootstrap --apply`. A new or removed account is no change.
 */
export function checkPlanRoleStability(base: OrgConfig, head: OrgConfig): InputIssue[] {
  return Object.entries(head.accounts).flatMap(([accountId, roles]): InputIssue[] => {
    const before = base.accounts[accountId]?.planRoleArn;
    if (before === undefined || before === roles.planRoleArn) return [];
    return [
      {
        code: IssueCode.STABILITY_PLAN_ROLE_CHANGED,
        file: ORG_FILE,
        path: `accounts.${accountId}.planRoleArn`,
        message:
          `the plan role changed from ${before}: plans assume the base branch's role, ` +
          'and a pull request may not choose the role its own plan runs with',
        received: roles.planRoleArn,
        expected:
          `${before} (to change the role, an administrator creates it with kitt bootstrap ${accountId} --apply, ` +
          'then merges this change in a pull request of its own, whose plan fails here by design)',
      },
    ];
  });
}
