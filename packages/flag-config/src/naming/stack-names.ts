import { KittError } from '../kitt-error';
import { flagId, type FlagTriple } from './flag-names';

/**
 * The one home of stack names and state keys, and of the one list of layers.
 * A stack name is the cdktf construct name and its directory under
 * `stacks/`; a state key is where its state lives in the bucket. Both are
 * contracts: a renamed stack is a new, empty state.
 */

/** The slices of the layer cake, in apply order; each has its own Terraform state. */
export const LAYERS = ['flag', 'cell', 'addons'] as const;
export type Layer = (typeof LAYERS)[number];

/** What a stack name says besides its FLAG: the layer and, below the flag layer, the cell. */
export interface StackPart {
  readonly layer: Layer;
  /** Absent for the flag layer. */
  readonly cell?: string;
}

/**
 * State keys start with this word for every FLAG. It is not the FLAGs'
 * directory in the repository: state keys are built from the triple alone,
 * so moving `flags/` never orphans a state.
 */
const STATE_KEY_ROOT = 'flags';

const CELL = /^[a-z][a-z0-9]*$/;

export function isLayer(value: unknown): value is Layer {
  return typeof value === 'string' && (LAYERS as readonly string[]).includes(value);
}

/** Position of a layer in apply order: flag 0, cell 1, addons 2. */
export function layerRank(layer: Layer): number {
  return LAYERS.indexOf(layer);
}

/** `flag` or `<layer>-<cell>`: the part shared by stack names and state keys. */
function partName(flag: FlagTriple, layer: Layer, cell: string | undefined): string {
  if (layer === 'flag') {
    if (cell === undefined) return 'flag';
    throw new KittError({
      code: 'LAYER_CELL_MISMATCH',
      kind: 'input',
      message: `The flag layer of ${flagId(flag)} is one per FLAG and takes no cell (received "${cell}").`,
    });
  }
  if (cell !== undefined && CELL.test(cell)) return `${layer}-${cell}`;
  throw new KittError({
    code: 'LAYER_CELL_MISMATCH',
    kind: 'input',
    message: `The ${layer} layer of ${flagId(flag)} is one per cell: name the cell (received ${JSON.stringify(cell)}).`,
  });
}

/** Stack name: `<flag-id>-flag`, `<flag-id>-cell-<cell>`, `<flag-id>-addons-<cell>`. */
export function stackName(flag: FlagTriple, layer: Layer, cell?: string): string {
  return `${flagId(flag)}-${partName(flag, layer, cell)}`;
}

/** S3 key of a stack's state: `flags/<customer>/<environment>/<region>/<layer>[-<cell>].tfstate`. */
export function stateKey(flag: FlagTriple, layer: Layer, cell?: string): string {
  const { customer, environment, region } = flag;
  return `${STATE_KEY_ROOT}/${customer}/${environment}/${region}/${partName(flag, layer, cell)}.tfstate`;
}

/** The layer and cell a stack name gives after `<rest>` of `<flag-id>-<rest>`. */
function parsePart(rest: string): StackPart | undefined {
  if (rest === 'flag') return { layer: 'flag' };
  const match = /^(cell|addons)-([a-z][a-z0-9]*)$/.exec(rest);
  return match ? { layer: match[1] as Layer, cell: match[2] as string } : undefined;
}

/** The layer and cell of a stack of FLAG `id`; undefined when the name breaks the grammar. */
export function parseStackName(id: string, stack: string): StackPart | undefined {
  return stack.startsWith(`${id}-`) ? parsePart(stack.slice(id.length + 1)) : undefined;
}

/**
 * FLAG id, layer and cell of a stack name alone (no FLAG id to hand). The
 * layer part is read from the right: a region has hyphens, a cell has none.
 */
export function splitStackName(stack: string): (StackPart & { readonly flagId: string }) | undefined {
  const match = /^(.+)-(flag|(?:cell|addons)-[a-z][a-z0-9]*)$/.exec(stack);
  const part = match && parsePart(match[2] as string);
  return match && part ? { flagId: match[1] as string, ...part } : undefined;
}

/** The grammar of a FLAG's stack names, for messages. */
export function stackNameGrammar(id: string): string {
  return `${id}-flag, ${id}-cell-<cell> or ${id}-addons-<cell>`;
}
