import type { CellInput, NetworkInput, Topology } from '@kitt/allocator';
import type { AddonsSettings } from './addons';

/** A FLAG's identity: the `(customer, environment, region)` triple. */
export interface FlagIdentity {
  /** `<customer>-<environment>-<region>` */
  readonly id: string;
  readonly customer: string;
  readonly environment: string;
  readonly region: string;
}

/** A loaded, validated and normalised `flag.yaml` (defaults filled in). */
export interface Flag extends FlagIdentity {
  /** Repo-relative directory, e.g. `flags/payments/prod/us-east-1`. */
  readonly dir: string;
  /** Repo-relative path of the file, e.g. `flags/payments/prod/us-east-1/flag.yaml`. */
  readonly file: string;
  readonly aws: { readonly accountId: string };
  readonly network: Omit<NetworkInput, 'topology' | 'cells'>;
  readonly topology: Topology;
  readonly cells: readonly FlagCell[];
  /** `teams` of the file; absent when it has none. */
  readonly teams?: readonly Team[];
  /** `addons` of the file; absent when it has none (every addon at its pinned version). */
  readonly addons?: AddonsSettings;
}

/** What the cell layer builds a cell with; `CELL_DEFAULTS` holds the defaults. */
export interface CellSettings {
  /** MAJOR.MINOR.PATCH, e.g. `1.34.2`. */
  readonly kubernetesVersion: string;
  readonly etcdInstanceType: string;
  readonly controlPlaneInstanceType: string;
  /** First preferred. */
  readonly workerInstanceTypes: readonly string[];
  readonly workerMinSize: number;
  readonly workerMaxSize: number;
  readonly rootVolumeSizeGiB: number;
  readonly etcdVolumeSizeGiB: number;
}

/** A cell as `flag.yaml` declares it: its place on the grid and the settings it overrides. */
export interface FlagCell extends CellInput, Partial<CellSettings> {}

export interface Team {
  readonly name: string;
  readonly roleArns: readonly string[];
  readonly quota?: { readonly cpu?: string; readonly memory?: string; readonly pods?: number };
}

export interface StateBackendSettings {
  readonly bucket: string;
  readonly region: string;
  /**
   * URL of an S3-compatible store that holds the state instead of AWS S3; the backend and the remote-state
   * lookups then skip the AWS credential and account checks. @default undefined (AWS S3)
   */
  readonly endpoint?: string;
  /** `<endpoint>/<bucket>` instead of `<bucket>.<endpoint>`. @default false */
  readonly usePathStyle?: boolean;
  /** The account that owns the bucket (`kitt bootstrap` creates it there). @default undefined (no account bootstraps it) */
  readonly accountId?: string;
}

/** `flags/org.yaml` `github`. */
export interface GitHubSettings {
  /** `OWNER/REPO`: the repository whose workflows the plan and apply roles trust. */
  readonly repository: string;
}

export interface AccountRoles {
  readonly planRoleArn: string;
  readonly applyRoleArn: string;
}

/** `flags/org.yaml`, normalised. */
export interface OrgConfig {
  /** CIDRs new FLAG VPCs are taken from. @default ['10.0.0.0/8'] */
  readonly pool: readonly string[];
  /** Terraform state bucket. @default { bucket: 'kitt-terraform-state', region: 'us-east-1' } */
  readonly state: StateBackendSettings;
  /** The repository of the FLAGs on GitHub. @default undefined (`kitt bootstrap` refuses to run without it) */
  readonly github?: GitHubSettings;
  /** DNS zone for ACM certificates and API records. @default undefined (no certificate) */
  readonly domain?: string;
  /** @default 90 */
  readonly flowLogRetentionDays: number;
  /** Pinned AMI id (or SSM parameter name) per region. @default {} */
  readonly amis: Readonly<Record<string, string>>;
  /** Per AWS account id. @default {} */
  readonly accounts: Readonly<Record<string, AccountRoles>>;
  /** Per FLAG environment: where its applies run and who approves plans made at apply time. @default {} */
  readonly environments: Readonly<Record<string, EnvironmentSettings>>;
  /** The commit on main from which `kitt apply` catches up merges without an apply record. @default none */
  readonly applySince?: string;
}

/** `environments.<env>` of org.yaml, normalised (`prod: production` is `{ environment: production, approvers: [] }`). */
export interface EnvironmentSettings {
  /** The GitHub Environment the apply jobs run in. @default the FLAG environment's name */
  readonly environment: string;
  /** GitHub logins who may approve a plan made at apply time (`kitt apply --approve`). @default [] */
  readonly approvers: readonly string[];
}

/** One thing wrong with the input, addressed precisely enough to fix without a debugger. */
export interface InputIssue {
  /** Stable code, e.g. `FLAG_PATH_MISMATCH`, `CIDR_NOT_CANONICAL`. */
  readonly code: string;
  /** Repo-relative file. */
  readonly file: string;
  /** Field path inside the file, e.g. `network.zones[1]`; '' for the whole file. */
  readonly path: string;
  readonly message: string;
  readonly received?: unknown;
  readonly expected?: string;
  /** 1-based line, where known. */
  readonly line?: number;
}
