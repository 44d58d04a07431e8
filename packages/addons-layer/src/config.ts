import { cidrContains, type CellPlan, type NetworkPlan } from '@kitt/allocator';
import type { CellStackOutputs } from '@kitt/cell-layer';
import {
  ADDON_NAMES,
  InputError,
  cellApiDomain,
  cellRequirementIssues,
  clusterName,
  resolveCellSettings,
  type AddonName,
  type FlagCell,
  type Flag,
  type InputIssue,
  type OrgConfig,
} from '@kitt/flag-config';
import { AddonsLayerError } from './errors';
import {
  ADDON_VERSIONS,
  IMAGE_TAGS_BY_KUBERNETES_MINOR,
  MINOR_BOUND_ADDONS,
  type MinorBoundAddon,
  type PinnedChart,
} from './versions';

/** Everything an `AddonsStack` is built from; it reads no files and no environment. */
export interface AddonsStackConfig {
  /** The FLAG, loaded and normalised by `@kitt/flag-config`. */
  readonly flag: Flag;
  /** `flags/org.yaml`: state bucket and domain. */
  readonly org: OrgConfig;
  /** The FLAG's network plan: the only source of addresses. */
  readonly plan: NetworkPlan;
  /** Name of the cell, as in `flag.yaml`. */
  readonly cell: string;
  /** The cell stack's outputs (`CellStack.outputs`): its cluster name and CA parameter. */
  readonly cellOutputs: CellStackOutputs;
}

/** One addon as this cell installs it: its pinned chart with the FLAG's overrides applied. */
export interface ResolvedAddon {
  readonly name: AddonName;
  readonly chart: PinnedChart;
}

/** The quota a team's namespace gets for what its `quota` leaves out. */
export const TEAM_QUOTA_DEFAULTS = { cpu: '16', memory: '64Gi', pods: 200 } as const;

/** A team of the FLAG with its quota filled in. */
export interface ResolvedTeam {
  readonly name: string;
  readonly quota: { readonly cpu: string; readonly memory: string; readonly pods: number };
}

/** `AddonsStackConfig` resolved: the cell's plan, names, enabled addons and teams, every default filled in. */
export interface ResolvedAddonsStackConfig {
  readonly flag: Flag;
  readonly org: OrgConfig;
  readonly cellPlan: CellPlan;
  /** `<flag-id>-<cell>`. */
  readonly clusterName: string;
  /** The API's private name: `api.<cell>.<flag-id>.<domain>`, the name its certificate carries. */
  readonly apiDomain: string;
  readonly caCertificateParameterName: string;
  /** The enabled addons, in install order. */
  readonly addons: readonly ResolvedAddon[];
  readonly teams: readonly ResolvedTeam[];
}

export function resolveAddonsStackConfig(config: AddonsStackConfig): ResolvedAddonsStackConfig {
  const { flag, org, plan, cell, cellOutputs } = config;
  const issues = cellRequirementIssues(flag, org);
  if (issues.length > 0) throw new InputError(issues);
  if (plan.vpcCidr !== flag.network.vpcCidr || plan.zones.join(',') !== flag.network.zones.join(',')) {
    throw new AddonsLayerError({
      code: 'PLAN_MISMATCH',
      file: flag.file,
      path: 'network',
      message: `The network plan given to an addons stack of ${flag.id} is not this FLAG's plan.`,
      received: plan.vpcCidr,
      expected: flag.network.vpcCidr,
    });
  }
  const cellPlan = plan.cells.find((candidate) => candidate.name === cell);
  const cellIndex = flag.cells.findIndex((candidate) => candidate.name === cell);
  const flagCell = flag.cells[cellIndex];
  if (cellPlan === undefined || flagCell === undefined) {
    throw new AddonsLayerError({
      code: 'CELL_UNKNOWN',
      file: flag.file,
      path: 'cells',
      message: `${flag.id} has no cell ${JSON.stringify(cell)}.`,
      received: cell,
      expected: `one of ${flag.cells.map((candidate) => candidate.name).join(', ') || '(no cells)'}`,
    });
  }
  checkDnsServiceIp(flag, cellPlan);
  if (cellOutputs.clusterName !== clusterName(flag, cell)) {
    throw new AddonsLayerError({
      code: 'CELL_OUTPUTS_MISMATCH',
      file: flag.file,
      path: 'cells',
      message: `The cell outputs given to the addons stack of cell ${cell} of ${flag.id} are another cell's.`,
      received: cellOutputs.clusterName,
      expected: clusterName(flag, cell),
    });
  }
  return {
    flag,
    org,
    cellPlan,
    clusterName: cellOutputs.clusterName,
    // cellRequirementIssues guarantees a domain.
    apiDomain: cellApiDomain(flag, cell, org.domain as string),
    caCertificateParameterName: cellOutputs.caCertificateParameterName,
    addons: resolveAddons(flag, flagCell, cellIndex),
    teams: (flag.teams ?? []).map((team) => ({ name: team.name, quota: { ...TEAM_QUOTA_DEFAULTS, ...team.quota } })),
  };
}

/**
 * The enabled addons of a cell in install order, each with the FLAG's chart
 * version and image tag where it sets them; the controllers bound to a
 * Kubernetes minor get the tag of the cell's minor.
 */
export function resolveAddons(flag: Flag, cell: FlagCell, cellIndex: number): ResolvedAddon[] {
  return ADDON_NAMES.flatMap((name): ResolvedAddon[] => {
    const settings = flag.addons?.[name] ?? {};
    if (settings.enabled === false) return [];
    const pinned = ADDON_VERSIONS[name];
    const tag = isMinorBound(name) ? minorBoundTag(flag, cell, cellIndex, name) : settings.imageTag;
    if (typeof tag === 'object') throw new AddonsLayerError(tag);
    return [
      {
        name,
        chart: {
          ...pinned,
          version: settings.chartVersion ?? pinned.version,
          image: { ...pinned.image, tag: tag ?? pinned.image.tag },
        },
      },
    ];
  });
}

/**
 * What the addons layer would refuse in a FLAG, found without building a
 * stack, for `kitt check`: a cell on a Kubernetes minor for which an enabled
 * minor-bound addon has no pinned image and `flag.yaml` sets no `imageTag`
 * (`KUBERNETES_MINOR_UNPINNED`, the error synthesis throws). Pure.
 */
export function addonsInputIssues(flag: Flag): Omit<InputIssue, 'line'>[] {
  return flag.cells.flatMap((cell, cellIndex) =>
    MINOR_BOUND_ADDONS.filter((name) => flag.addons?.[name]?.enabled !== false).flatMap((name) => {
      const tag = minorBoundTag(flag, cell, cellIndex, name);
      return typeof tag === 'object' ? [tag] : [];
    }),
  );
}

/** A minor-bound addon's tag in a cell: `flag.yaml`'s `imageTag`, else the one pinned for the cell's minor, else the issue. */
function minorBoundTag(
  flag: Flag,
  cell: FlagCell,
  cellIndex: number,
  name: MinorBoundAddon,
): string | Omit<InputIssue, 'line'> {
  const override = flag.addons?.[name]?.imageTag;
  if (override !== undefined) return override;
  const kubernetesVersion = resolveCellSettings(cell).kubernetesVersion;
  const minor = kubernetesVersion.split('.').slice(0, 2).join('.');
  const tag = IMAGE_TAGS_BY_KUBERNETES_MINOR[minor]?.[name];
  if (tag !== undefined) return tag;
  return {
    code: 'KUBERNETES_MINOR_UNPINNED',
    file: flag.file,
    path: `cells[${cellIndex}].kubernetesVersion`,
    message: `The addons layer pins no ${name} image for Kubernetes ${minor} (cell ${cell.name}).`,
    received: kubernetesVersion,
    expected: `a Kubernetes minor of ${Object.keys(IMAGE_TAGS_BY_KUBERNETES_MINOR).join(', ')}, or addons.${name}.imageTag in flag.yaml`,
  };
}

function isMinorBound(name: AddonName): name is MinorBoundAddon {
  return (MINOR_BOUND_ADDONS as readonly AddonName[]).includes(name);
}

/** kubelet's clusterDNS (set by the cell layer) and CoreDNS's Service meet only if the plan's DNS IP is a service IP. */
function checkDnsServiceIp(flag: Flag, cellPlan: CellPlan): void {
  if (cidrContains(cellPlan.serviceCidr, `${cellPlan.dnsServiceIp}/32`)) return;
  throw new AddonsLayerError({
    code: 'DNS_IP_OUTSIDE_SERVICE_CIDR',
    file: flag.file,
    path: 'cells',
    message: `The DNS service IP of cell ${cellPlan.name} lies outside its service network.`,
    received: cellPlan.dnsServiceIp,
    expected: `an address of ${cellPlan.serviceCidr}`,
  });
}
