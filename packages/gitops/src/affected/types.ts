import type { AffectedStackReason } from './report';
import type { Layer } from '@kitt/flag-config';

/**
 * Why a stack is planned (`AffectedStackReason`, which `kitt plan` reads):
 * - `new`: the stack exists at head and not at base;
 * - `config-changed`: its synthesized Terraform differs between base and head;
 * - `upstream-changed`: its config is the same, but a stack it depends on is planned (its outputs may change);
 * - `removed`: the stack exists at base only, planned as a destroy from base's synthesized config.
 * Or `unchanged`, for a stack of a compared FLAG that needs no plan.
 */
export type AffectedStatus = AffectedStackReason | 'unchanged';

/** One synthesized stack, as read back from `kitt synth` output (one side: base or head). */
export interface SynthesizedStack {
  /** `<customer>-<environment>-<region>` */
  readonly flag: string;
  readonly stack: string;
  readonly layer: Layer;
  /** Stacks whose outputs this one reads. */
  readonly dependsOn: readonly string[];
  /** SHA-256 of the Terraform-relevant config (see `configHash`). */
  readonly configHash: string;
}

/** One line of `kitt affected`: what to do with a stack and with which AWS account. */
export interface AffectedStack {
  readonly flag: string;
  /** Repo-relative FLAG directory, e.g. `flags/payments/prod/us-east-1`. */
  readonly flagDir: string;
  readonly stack: string;
  readonly layer: Layer;
  readonly dependsOn: readonly string[];
  readonly reason: AffectedStatus;
  /** The only AWS account the FLAG may touch (`aws.accountId` of its flag.yaml). */
  readonly accountId: string;
  /**
   * The plan role of that account, from the base commit's `flags/org.yaml` (reviewed config: a pull
   * request cannot choose the role its own plan runs with). Absent when base names none.
   */
  readonly planRoleArn?: string;
  /** Hash of head's synthesized config (base's for a removed stack). */
  readonly configHash: string;
}

/** One job of the plan matrix: one FLAG, or several FLAGs of one account when there are more than the matrix holds. */
export interface PlanJob {
  /** Job label: the FLAG id, or `<accountId>-<n>` for a batch. */
  readonly name: string;
  /** Space-separated FLAG directories (names never contain spaces). */
  readonly flagDirs: string;
  readonly accountId: string;
  /** '' when `flags/org.yaml` names no plan role for the account: the job stops with that reason. */
  readonly planRoleArn: string;
  /** Region for the AWS SDK defaults (the first FLAG's region); every stack names its own anyway. */
  readonly awsRegion: string;
}

/** A GitHub Actions matrix (`strategy.matrix: ${{ fromJSON(...) }}`). */
export interface PlanMatrix {
  readonly include: readonly PlanJob[];
}

/** How the affected FLAGs were found. */
export type FlagDetector = 'nx' | 'paths';

/** What `kitt affected --json` prints. */
export interface AffectedReport {
  /** The base commit (full SHA). */
  readonly base: string;
  /** The head commit (full SHA), or null for the working tree. */
  readonly head: string | null;
  /** What decided the affected FLAGs beyond the FLAG directories the diff touches. */
  readonly detector: FlagDetector;
  /** FLAGs whose stacks were synthesized and compared. */
  readonly flags: readonly string[];
  /** Stacks to plan, in apply order (per FLAG: flag → cells → addons). */
  readonly stacks: readonly AffectedStack[];
  /** Stacks of the compared FLAGs that need no plan, in the same order. */
  readonly unchanged: readonly AffectedStack[];
  /** The plan jobs: one per FLAG with stacks to plan (batched past 256). */
  readonly matrix: PlanMatrix;
  /** Things found on the way that a reviewer should know (e.g. why more was planned than changed). */
  readonly warnings: readonly string[];
}
