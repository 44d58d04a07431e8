export * from './types';
export * from './addons';
export * from './naming';
export { KittError, StackInputError, isKittError, type FailureKind, type KittErrorInit } from './kitt-error';
export * from './network-input';
export { IssueCode, InputError, formatIssue, formatIssues } from './errors';
export {
  FlagDocumentSchema,
  OrgDocumentSchema,
  flagJsonSchema,
  orgJsonSchema,
  FLAG_NAME_PATTERN,
  CELL_NAME_PATTERN,
  ACCOUNT_ID_PATTERN,
  CELL_DEFAULTS,
  type FlagDocument,
  type OrgDocument,
} from './schema';
export { AWS_REGIONS, isAwsRegion, isZoneOfRegion, type AwsRegion } from './regions';
export { analyseFlag, type FlagAnalysis, type DeclaredFlag } from './analyse-flag';
export { parseFlag, loadFlag, loadOrg, loadAllFlags, orgLineOf } from './load';
export { parseOrg } from './org';
export {
  cellRequirementIssues,
  resolveCellSettings,
  AMI_ID_PATTERN,
  SSM_PARAMETER_NAME_PATTERN,
} from './cell-requirements';
export { listFlagFiles, toRepoPath, flagLayoutIssues, flagLayoutIssuesOfPaths } from './repo-files';
export { MAX_INPUT_FILE_BYTES } from './read-input';
export { PRIVATE_RANGES, isPrivateCidr } from './private-space';
export { checkRepository, type CheckOptions, type CheckResult, type FlagRule } from './check';
export { checkStability } from './stability';
export {
  newFlagDocument,
  writeNewFlag,
  PLACEHOLDER_ACCOUNT_ID,
  type NewFlagOptions,
  type NewFlagContext,
  type FlagFootprint,
} from './new-flag';
