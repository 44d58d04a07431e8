import { GRID_SLOTS } from './grid';
import type { Block, NetworkPlan } from './types';

/**
 * `kitt network --format mermaid`: a flowchart GitHub renders in a PR.
 * VPC → zones → slots (cell name or "free slot", with its subnets) and the
 * zone's resource and public subnets; the pod network hangs off the VPC with
 * a dotted line because it is never routed.
 */
export function renderNetworkMermaid(plan: NetworkPlan): string {
  const lines = ['flowchart TB'];
  lines.push(`  vpc${label([`VPC ${plan.vpcCidr}`, plan.topology])}`);
  lines.push(
    `  pods${label([`pod network ${plan.podCidr}`, `/${plan.nodePodPrefix} per node, every cell`, 'not routed: Flannel vxlan, SNAT on egress'])}`,
  );
  lines.push('  vpc -.- pods');
  if (plan.free.length > 0) {
    lines.push(`  free${label(['free VPC space', ...plan.free])}`);
    lines.push('  vpc --> free');
  }
  plan.zones.forEach((zone, z) => {
    const inZone = plan.blocks.filter((b) => b.zone === zone);
    lines.push(`  vpc --> z${z}${label([zone])}`);
    for (const slot of GRID_SLOTS) {
      const slotBlocks = inZone.filter((b) => b.name.startsWith(`${zone}/slot${slot}/`));
      const cell = slotBlocks[0]?.cell;
      const title = cell ? `slot ${slot}: ${cell}` : `slot ${slot}: free slot`;
      lines.push(`  z${z} --> z${z}s${slot}${label([title, ...slotBlocks.map(subnetLine)])}`);
    }
    const resources = inZone.filter((b) => b.cell === null);
    lines.push(`  z${z} --> z${z}r${label(['resource and public subnets', ...resources.map(subnetLine)])}`);
  });
  return `${lines.join('\n')}\n`;
}

function subnetLine(block: Block): string {
  return `${block.kind} ${block.cidr}`;
}

/** A quoted node label; Mermaid takes `#quot;` for a double quote inside one. */
function label(parts: readonly string[]): string {
  return `["${parts.map((part) => part.replace(/"/g, '#quot;')).join('<br/>')}"]`;
}
