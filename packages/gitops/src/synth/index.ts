export { synthesizeFlag, writeFlagApp, prepareFlag, SynthError } from './app';
export { synthesizeFlags, type SynthesizeFlagsOptions } from './repository';
export { composeFlagApp, type ComposedStack, type FlagAppComposer, type FlagAppInput } from './compose';
export { countResources, renderSynthSummary } from './summary';
export type { SynthResult, SynthesizedStackInfo } from './types';
