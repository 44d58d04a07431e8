import { StackInputError } from '@kitt/flag-config';

/** A cell stack configuration the cell layer cannot build (codes such as `CELL_UNKNOWN`, `PLAN_MISMATCH`, `FLAG_OUTPUT_MISSING`). */
export class CellLayerError extends StackInputError {}
