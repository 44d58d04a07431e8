export {
  DEFAULT_TERRAFORM_BINARY,
  TERRAFORM_BINARY_ENV,
  findExecutable,
  locateTerraform,
  terraformCommand,
  type TerraformBinary,
} from './binary';
export {
  readPlanExitCode,
  runStack,
  terraformArgs,
  terraformEnv,
  type PlanExitReading,
  type RunStackOptions,
  type TerraformArgsOptions,
  type StackRun,
  type StepFailure,
  type TerraformStep,
} from './run-stack';
export { StackOrderError, layerOfStack, orderStacks, type StackToPlan } from './stack-order';
export { SynthOutputError, parseSynthManifest, readSynthManifest } from './synth-manifest';
export { resourcesInConfig } from './config-resources';
export {
  OUT_GITIGNORE,
  STACK_OUT_FILES,
  planStacks,
  recordUnplannedStack,
  runOrder,
  type PlanStacksOptions,
  type StackPlanResult,
} from './plan-flags';
export {
  BaseCommitMissingError,
  baseCommitFor,
  synthesizeRemovedStacks,
  type RemovedStacks,
  type RemovedStacksRequest,
  type UnplannedRemovedStack,
} from './removed-stacks';
export {
  PREVIEW_SKIPPED,
  failureText,
  stackResultOf,
  type ConfigFailure,
  type PlanProvenance,
  type PreviewStackResult,
  type StackOutcome,
} from './stack-summary';
export {
  parseAffectedStacks,
  type AffectedStackEntry,
  type AffectedStackReason,
  type AffectedStacksFile,
} from './affected-stacks';
