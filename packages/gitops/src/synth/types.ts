import type { Layer } from '@kitt/flag-config';

/** One stack of a synthesized FLAG, as written to `<outDir>/<flag-id>/stacks/<name>/cdk.tf.json`. */
export interface SynthesizedStackInfo {
  /** Stack name, e.g. `payments-prod-us-east-1-flag`: also its directory under `stacks/`. */
  readonly name: string;
  readonly layer: Layer;
  /** The cell of a cell or addons stack; absent for the flag stack. */
  readonly cell?: string;
  /** Names of the stacks whose outputs this one reads (as in cdktf's manifest), sorted. */
  readonly dependsOn: readonly string[];
  /** Path of its `cdk.tf.json`, relative to the FLAG's output directory. */
  readonly configFile: string;
  /** SHA-256 (hex) of the `cdk.tf.json` bytes. */
  readonly configHash: string;
  /** Managed resources by Terraform type, types sorted. */
  readonly resourceCounts: Readonly<Record<string, number>>;
}

/** What `synthesizeFlag` wrote for one FLAG. */
export interface SynthResult {
  /** `<customer>-<environment>-<region>` */
  readonly flagId: string;
  /** Repo-relative FLAG directory, e.g. `flags/payments/prod/us-east-1`. */
  readonly flagDir: string;
  /** Absolute `<outDir>/<flag-id>`: holds `manifest.json` and `stacks/`. */
  readonly outDir: string;
  /** Every stack of the FLAG's App, in apply order (a stack after the stacks it depends on). */
  readonly stacks: readonly SynthesizedStackInfo[];
}
