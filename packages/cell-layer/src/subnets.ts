import type { ResolvedCellStackConfig } from './config';
import { CellLayerError } from './errors';

/**
 * The flag stack's subnet id (a cross-stack reference) of a CIDR of the
 * cell's plan: the plan names the block, the flag stack's output maps the
 * block's name to its subnet.
 */
export function subnetIdOf(config: ResolvedCellStackConfig, cidr: string): string {
  const block = config.plan.blocks.find((candidate) => candidate.cidr === cidr);
  const id = block && config.flagOutputs.subnetIds[block.name];
  if (id === undefined) {
    throw new CellLayerError({
      code: 'FLAG_OUTPUT_MISSING',
      file: config.flag.file,
      path: 'cells',
      message: `The flag stack of ${config.flag.id} has no subnet for ${cidr} of cell ${config.cellPlan.name}.`,
      received: cidr,
      expected: 'the outputs of the flag stack built from the same network plan',
    });
  }
  return id;
}
