// Plan JSON and summary.json in, checked and summarized: the parsing side of the plan record (no Markdown, no I/O).
export { PlanFormatError, type PlanErrorCode } from './errors';
export { decodePlanText, parsePlanText } from './plan-text';
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
