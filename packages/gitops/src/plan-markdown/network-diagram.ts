import { planNetwork, renderCapacityMarkdown, renderNetworkMermaid } from '@kitt/allocator';
import { networkInputOf, type Flag } from '@kitt/flag-config';
import type { StackResult } from '../plan/record';

/**
 * What the plan record shows of a new FLAG: its address grid as a Mermaid
 * diagram and the capacity of each cell. Reviewers approve the address plan
 * with the first plan, when a mistake is still free to fix.
 */
export function networkDiagramOf(flag: Flag): NonNullable<StackResult['networkDiagram']> {
  const plan = planNetwork(networkInputOf(flag));
  return { mermaid: renderNetworkMermaid(plan), capacityTable: renderCapacityMarkdown(plan) };
}
