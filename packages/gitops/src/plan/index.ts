export { PlanFormatError, type PlanErrorCode } from './errors';
export { decodePlanText, parsePlanText } from './plan-text';
export { readPlanFile } from './read-plan-file';
export { SUPPORTED_FORMAT_MAJOR } from './plan-document';
export { KNOWN_AFTER_APPLY, SENSITIVE, type RedactedValue } from './redact';
export { formatPath, type AttributeChange } from './attribute-diff';
export { planTotals, isDestructive, type ActionCounts, type PlanAction, type PlanTotals } from './actions';
export {
  summarizePlan,
  type OutputChangeSummary,
  type PlanMeta,
  type PlanSummary,
  type ResourceChangeSummary,
} from './summary';
export { fingerprintPlan } from './fingerprint';
export {
  buildPlanRecord,
  stackResultFromPlan,
  STACK_RESULT_KIND,
  type NetworkDiagram,
  type PlanRecord,
  type StackRecord,
  type StackResult,
  type StackStatus,
} from './record';
export { isStackResult, parseStackResult } from './stack-result';
// DETAILS_START_MARKER is not re-exported: `github/plan-record-body.ts` exports the same marker for the poster.
export {
  planMetadata,
  readPlanMetadata,
  renderJobSummary,
  renderNoPlanComment,
  renderPlanComment,
  withoutMetadata,
  type PlanMetadata,
  type RenderOptions,
} from './render';
export { NO_STACK_TO_PLAN, type NoPlanRecord, type UnchangedFlag } from './render-empty';
export { networkDiagramOf } from './network-diagram';
export { joinRecordParts, splitRecordParts } from './split-record';
