import { GRID_SLOTS } from './grid';
import { formatCount } from './format';
import type { Block, CellPlan, NetworkPlan } from './types';

/** How each capacity figure is labelled in the table, in the order shown. */
export const FIGURE_LABELS: Readonly<Record<string, string>> = {
  workerAddresses: 'worker addresses',
  nodePodSubnets: 'node pod subnets',
  podsPerNodeByNetwork: 'pods per node (host-local)',
  podsPerNodeByMaxPods: 'pods per node (maxPods)',
  services: 'services',
  nodes: 'nodes',
  podsPerNode: 'pods per node',
  pods: 'pods',
};

/**
 * `kitt network --format table`: the plan for people. The grid of zones and
 * slots, every block in use, the free space, and per cell its subnets,
 * service and DNS addresses, etcd placement and capacity with every formula.
 */
export function renderNetworkTable(plan: NetworkPlan, identity?: { id: string }): string {
  const lines: string[] = [];
  lines.push(identity ? `Network plan: ${identity.id}` : 'Network plan');
  lines.push(`VPC          ${plan.vpcCidr} (${plan.topology}; zones ${plan.zones.join(', ')})`);
  lines.push(
    `Pod network  ${plan.podCidr}, /${plan.nodePodPrefix} per node: never routed (Flannel vxlan, SNAT on egress), the same in every cell`,
  );
  lines.push(
    '',
    'Grid',
    ...indent(
      columns([
        ['zone', ...GRID_SLOTS.map((s) => `slot ${s}`), 'data', 'cache', 'compute', 'public'],
        ...plan.zones.map((zone) => gridRow(plan, zone)),
      ]),
    ),
  );
  lines.push(
    '',
    'Blocks in use',
    ...indent(columns([['cidr', 'kind', 'zone', 'cell', 'name'], ...plan.blocks.map(blockRow)])),
  );
  lines.push('', 'Free', ...indent(plan.free.length > 0 ? plan.free : ['(none)']));
  for (const cell of plan.cells) lines.push('', ...cellSection(plan, cell));
  if (plan.cells.length === 0) lines.push('', 'No cells yet.');
  return `${lines.join('\n')}\n`;
}

function gridRow(plan: NetworkPlan, zone: string): string[] {
  const inZone = plan.blocks.filter((b) => b.zone === zone);
  const cidrOf = (kind: Block['kind']) => inZone.find((b) => b.kind === kind)?.cidr ?? '';
  const slotCell = (slot: number) =>
    inZone.find((b) => b.kind === 'worker' && b.name === `${zone}/slot${slot}/worker`)?.cell ?? 'free slot';
  return [zone, ...GRID_SLOTS.map(slotCell), cidrOf('data'), cidrOf('cache'), cidrOf('compute'), cidrOf('public')];
}

function blockRow(block: Block): string[] {
  return [block.cidr, block.kind, block.zone, block.cell ?? '-', block.name];
}

function cellSection(plan: NetworkPlan, cell: CellPlan): string[] {
  const { capacity } = cell;
  const details = columns([
    ['management subnets', cell.managementSubnets.join(', ')],
    ['worker subnets', `${cell.workerSubnets.join(', ')} (round-robin in this order)`],
    ['service network', cell.serviceCidr],
    ['API service IP', `${cell.apiServiceIp} (kubernetes.default: service network + 1)`],
    ['DNS service IP', `${cell.dnsServiceIp} (service network + 10)`],
    ['pod network', `${cell.podCidr}, /${cell.nodePodPrefix} per node (not routed)`],
    ...cell.etcd.map((member, i) => [
      i === 0 ? 'etcd' : '',
      `etcd-${i}  ${member.ip}  ${member.zone}  ${member.subnet}`,
    ]),
  ]);
  const figureRows = Object.entries(capacity.figures).map(([name, figure]) => {
    const binding =
      name === 'nodes'
        ? `binding: ${capacity.bindingConstraint}`
        : name === 'podsPerNode'
          ? `binding: ${capacity.podsPerNodeConstraint}`
          : '';
    return [FIGURE_LABELS[name] ?? name, formatCount(figure.value), figure.formula, binding];
  });
  figureRows.push([
    'seed design (network-level)',
    formatCount(capacity.seedFigure.value),
    capacity.seedFigure.formula,
    `vs ${formatCount(capacity.pods)} real`,
  ]);
  const where = plan.topology === 'multi-az' ? `all zones (${cell.zones.join(', ')})` : cell.zones.join(', ');
  return [
    `Cell ${cell.name}: ${plan.topology}, ${where}, slot ${cell.slot}`,
    ...indent(details),
    '  capacity',
    ...indent(columns(figureRows, [false, true, false, false]), '    '),
    `  ${capacity.note}`,
  ];
}

/** Aligns rows into columns; `alignRight[i]` right-aligns column i (numbers). Trailing blanks are trimmed. */
function columns(rows: readonly (readonly string[])[], alignRight: readonly boolean[] = []): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (alignRight[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

function indent(lines: readonly string[], by = '  '): string[] {
  return lines.map((line) => (line === '' ? line : by + line));
}
