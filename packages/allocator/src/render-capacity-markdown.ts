import { formatCount } from './format';
import { FIGURE_LABELS } from './render-table';
import type { CellPlan, NetworkPlan } from './types';

/**
 * The capacity report as Markdown, for the plan record of a new FLAG: per cell
 * one table of figures with their formulas, the seed's network-level figure
 * beside the real one, and what binds.
 */
export function renderCapacityMarkdown(plan: NetworkPlan): string {
  if (plan.cells.length === 0) return '_No cells yet: no capacity to report._\n';
  return `${plan.cells.map(cellCapacity).join('\n')}`;
}

function cellCapacity(cell: CellPlan): string {
  const { capacity } = cell;
  const rows = Object.entries(capacity.figures).map(([name, figure]) => {
    const binding =
      name === 'nodes' ? capacity.bindingConstraint : name === 'podsPerNode' ? capacity.podsPerNodeConstraint : '';
    return `| ${FIGURE_LABELS[name] ?? name} | ${formatCount(figure.value)} | \`${figure.formula}\` | ${binding} |`;
  });
  const seed =
    `| seed design (network-level) | ${formatCount(capacity.seedFigure.value)} ` +
    `| \`${capacity.seedFigure.formula}\` | vs ${formatCount(capacity.pods)} real |`;
  return [
    `**Cell \`${cell.name}\`** (${cell.zones.join(', ')}, slot ${cell.slot})`,
    '',
    '| figure | value | formula | binding |',
    '| --- | ---: | --- | --- |',
    ...rows,
    seed,
    '',
    capacity.note,
    '',
  ].join('\n');
}
