import { StackInputError } from '@kitt/flag-config';

/** A FLAG (or its stack configuration) that the flag layer cannot build. */
export class FlagLayerError extends StackInputError {}
