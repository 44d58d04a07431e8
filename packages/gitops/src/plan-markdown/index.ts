// The plan record as Markdown: the PR comment, its parts, the job summary and the network diagrams.
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
