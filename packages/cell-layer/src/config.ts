import type { CellPlan, NetworkPlan } from '@kitt/allocator';
import {
  InputError,
  cellRequirementIssues,
  resolveCellSettings,
  type CellSettings,
  type Flag,
  type OrgConfig,
} from '@kitt/flag-config';
import type { FlagStackOutputs } from '@kitt/flag-layer';
import type { UserDataRenderer } from './bootstrap-contract';
import { defaultUserDataRenderer } from './default-user-data';
import { CellLayerError } from './errors';

/** Everything a `CellStack` is built from; it reads no files and no environment. */
export interface CellStackConfig {
  /** The FLAG, loaded and normalised by `@kitt/flag-config`. */
  readonly flag: Flag;
  /** `flags/org.yaml`: state bucket, domain, AMIs, the account's plan and apply roles. */
  readonly org: OrgConfig;
  /** The FLAG's network plan: the only source of addresses. */
  readonly plan: NetworkPlan;
  /** Name of the cell, as in `flag.yaml`. */
  readonly cell: string;
  /**
   * The flag stack's outputs (`FlagStack.outputs`): references that cdktf
   * turns into remote-state lookups of the flag stack's state.
   */
  readonly flagOutputs: FlagStackOutputs;
  /**
   * Renders each node's cloud-init user data from the bootstrap configuration.
   * @default the node bootstrap of this package
   */
  readonly renderUserData?: UserDataRenderer;
}

/** A pinned AMI id, or an SSM parameter that EC2 resolves at every launch. */
export type ImageSource =
  | { readonly kind: 'ami'; readonly id: string }
  | { readonly kind: 'ssm'; readonly name: string };

/** `CellStackConfig` resolved: the cell's plan and settings, the org's facts it needs, every default filled in. */
export interface ResolvedCellStackConfig {
  readonly flag: Flag;
  readonly org: OrgConfig;
  readonly plan: NetworkPlan;
  readonly cellPlan: CellPlan;
  readonly settings: CellSettings;
  readonly domain: string;
  readonly privateZoneId: string;
  readonly image: ImageSource;
  /** From `org.accounts[flag.aws.accountId]`, when listed. */
  readonly applyRoleArn?: string;
  readonly planRoleArn?: string;
  readonly flagOutputs: FlagStackOutputs;
  readonly renderUserData: UserDataRenderer;
}

export function resolveCellStackConfig(config: CellStackConfig): ResolvedCellStackConfig {
  const { flag, org, plan, cell, flagOutputs } = config;
  const issues = cellRequirementIssues(flag, org);
  if (issues.length > 0) throw new InputError(issues);
  checkPlanMatchesFlag(flag, plan);
  const flagCell = flag.cells.find((candidate) => candidate.name === cell);
  const cellPlan = plan.cells.find((candidate) => candidate.name === cell);
  if (flagCell === undefined || cellPlan === undefined) {
    throw new CellLayerError({
      code: 'CELL_UNKNOWN',
      file: flag.file,
      path: 'cells',
      message: `${flag.id} has no cell ${JSON.stringify(cell)}.`,
      received: cell,
      expected: `one of ${flag.cells.map((candidate) => candidate.name).join(', ') || '(no cells)'}`,
    });
  }
  if (flagOutputs.privateZoneId === undefined) {
    throw new CellLayerError({
      code: 'FLAG_OUTPUT_MISSING',
      file: flag.file,
      path: 'cells',
      message: `The flag stack of ${flag.id} has no private zone for the API record of cell ${cell}.`,
      expected: 'the outputs of a flag stack built with org.domain',
    });
  }
  const roles = org.accounts[flag.aws.accountId];
  return {
    flag,
    org,
    plan,
    cellPlan,
    settings: resolveCellSettings(flagCell),
    // cellRequirementIssues guarantees a domain and an AMI of the region.
    domain: org.domain as string,
    privateZoneId: flagOutputs.privateZoneId,
    image: imageSource(org.amis[flag.region] as string),
    ...(roles === undefined ? {} : { applyRoleArn: roles.applyRoleArn, planRoleArn: roles.planRoleArn }),
    flagOutputs,
    renderUserData: config.renderUserData ?? defaultUserDataRenderer,
  };
}

/** `ami-...` is pinned; anything else is an SSM parameter name (checked by `cellRequirementIssues`). */
export function imageSource(ami: string): ImageSource {
  return ami.startsWith('ami-') ? { kind: 'ami', id: ami } : { kind: 'ssm', name: ami };
}

/** The launch template's `image_id`: an id, or `resolve:ssm:<name>` (resolved at launch, so a new image changes no plan). */
export function imageId(image: ImageSource): string {
  return image.kind === 'ami' ? image.id : `resolve:ssm:${image.name}`;
}

function checkPlanMatchesFlag(flag: Flag, plan: NetworkPlan): void {
  if (plan.vpcCidr !== flag.network.vpcCidr || plan.zones.join(',') !== flag.network.zones.join(',')) {
    throw new CellLayerError({
      code: 'PLAN_MISMATCH',
      file: flag.file,
      path: 'network',
      message: `The network plan given to a cell stack of ${flag.id} is not this FLAG's plan.`,
      received: plan.vpcCidr,
      expected: flag.network.vpcCidr,
    });
  }
}
