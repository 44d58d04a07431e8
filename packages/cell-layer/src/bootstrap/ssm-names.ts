// The names live in the one naming module; the bootstrap scripts take them from there.
export { cellSsmParameters, type CellSsmParameters } from '@kitt/flag-config';
