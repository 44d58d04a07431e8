import {
  AWS_RESERVED_PER_SUBNET,
  HOST_LOCAL_RESERVED,
  LONGEST_NODE_POD_PREFIX,
  MAX_NODE_POD_PREFIX_DIFF,
  SEED_NODES,
  SEED_PODS_PER_NODE,
  SERVICE_RANGE_RESERVED,
} from './defaults';
import { formatCount } from './format';
import type { Capacity, CapacityFigure } from './types';

/** What a cell's capacity depends on. */
export interface CapacityInput {
  /** Prefix of each worker subnet (one per zone of the cell). */
  readonly workerPrefixes: readonly number[];
  readonly podCidr: string;
  readonly podPrefix: number;
  readonly nodePodPrefix: number;
  readonly servicePrefix: number;
  readonly maxPods: number;
  readonly controlPlaneNodes: number;
}

/**
 * A cell's capacity, every figure with the arithmetic that produced it.
 * Nodes are bounded by worker addresses (AWS keeps 5 per subnet) and by the
 * node pod subnets kube-controller-manager can hand out (the control plane
 * takes some); pods per node by kubelet's maxPods and by host-local IPAM in
 * the node's pod subnet. On a tie the first-named constraint is reported.
 */
export function cellCapacity(input: CapacityInput): Capacity {
  const workerAddresses = workerAddressFigure(input.workerPrefixes);
  const nodePodSubnets = nodePodSubnetFigure(input.podPrefix, input.nodePodPrefix, input.controlPlaneNodes);
  const byNetwork = podsPerNodeByNetwork(input.nodePodPrefix);
  const byMaxPods: CapacityFigure = {
    value: input.maxPods,
    formula: `kubelet maxPods = ${formatCount(input.maxPods)}`,
  };
  const services = hostsFigure(input.servicePrefix, SERVICE_RANGE_RESERVED);

  const bindingConstraint = workerAddresses.value <= nodePodSubnets.value ? 'worker-addresses' : 'pod-network';
  const nodes = Math.min(workerAddresses.value, nodePodSubnets.value);
  const podsPerNodeConstraint = byMaxPods.value <= byNetwork.value ? 'max-pods' : 'node-subnet';
  const podsPerNode = Math.min(byMaxPods.value, byNetwork.value);
  const pods = nodes * podsPerNode;

  const figures: Record<string, CapacityFigure> = {
    workerAddresses,
    nodePodSubnets,
    podsPerNodeByNetwork: byNetwork,
    podsPerNodeByMaxPods: byMaxPods,
    services,
    nodes: {
      value: nodes,
      formula:
        `min(worker addresses ${formatCount(workerAddresses.value)}, ` +
        `node pod subnets ${formatCount(nodePodSubnets.value)}) = ${formatCount(nodes)}`,
    },
    podsPerNode: {
      value: podsPerNode,
      formula: `min(maxPods ${formatCount(byMaxPods.value)}, node subnet ${formatCount(byNetwork.value)}) = ${formatCount(podsPerNode)}`,
    },
    pods: { value: pods, formula: `${formatCount(nodes)} × ${formatCount(podsPerNode)} = ${formatCount(pods)}` },
  };
  const seedFigure: CapacityFigure = {
    value: SEED_NODES * SEED_PODS_PER_NODE,
    formula: `${SEED_NODES} nodes × ${SEED_PODS_PER_NODE} pods = ${formatCount(SEED_NODES * SEED_PODS_PER_NODE)}`,
  };
  return {
    nodes,
    podsPerNode,
    pods,
    services: services.value,
    bindingConstraint,
    podsPerNodeConstraint,
    figures,
    seedFigure,
    note: capacityNote(input, {
      workerAddresses: workerAddresses.value,
      nodePodSubnets: nodePodSubnets.value,
      nodes,
      pods,
      bindingConstraint,
    }),
  };
}

function workerAddressFigure(prefixes: readonly number[]): CapacityFigure {
  const per = prefixes.map((prefix) => hostsFigure(prefix, AWS_RESERVED_PER_SUBNET));
  const value = per.reduce((sum, figure) => sum + figure.value, 0);
  const [first] = prefixes;
  if (first !== undefined && prefixes.every((prefix) => prefix === first)) {
    const one = `2^(32-${first}) - ${AWS_RESERVED_PER_SUBNET}`;
    const formula =
      prefixes.length === 1
        ? `${one} = ${formatCount(value)}`
        : `${prefixes.length} × (${one}) = ${prefixes.length} × ${formatCount(per[0]?.value ?? 0)} = ${formatCount(value)}`;
    return { value, formula };
  }
  return {
    value,
    formula: `${prefixes.map((p) => `(2^(32-${p}) - ${AWS_RESERVED_PER_SUBNET})`).join(' + ') || '0'} = ${formatCount(value)}`,
  };
}

/** Node pod subnets left for workers. */
function nodePodSubnetFigure(podPrefix: number, nodePodPrefix: number, controlPlaneNodes: number): CapacityFigure {
  const value = nodePodSubnets(podPrefix, nodePodPrefix, controlPlaneNodes);
  return {
    value,
    formula: `2^(${nodePodPrefix}-${podPrefix}) - ${controlPlaneNodes} control-plane nodes = ${formatCount(value)}`,
  };
}

function nodePodSubnets(podPrefix: number, nodePodPrefix: number, controlPlaneNodes: number): number {
  return Math.max(0, 2 ** (nodePodPrefix - podPrefix) - controlPlaneNodes);
}

function podsPerNodeByNetwork(nodePodPrefix: number): CapacityFigure {
  return hostsFigure(nodePodPrefix, HOST_LOCAL_RESERVED);
}

function hostsFigure(prefix: number, reserved: number): CapacityFigure {
  const value = 2 ** (32 - prefix) - reserved;
  return { value, formula: `2^(32-${prefix}) - ${reserved} = ${formatCount(value)}` };
}

interface Outcome {
  readonly workerAddresses: number;
  readonly nodePodSubnets: number;
  readonly nodes: number;
  readonly pods: number;
  readonly bindingConstraint: Capacity['bindingConstraint'];
}

/** What binds, and for the pod network how to lift it; the seed's figure set against the real one. */
function capacityNote(input: CapacityInput, outcome: Outcome): string {
  const seed =
    `The seed's ${formatCount(SEED_NODES * SEED_PODS_PER_NODE)} (${SEED_NODES} × ${SEED_PODS_PER_NODE}) ` +
    `counted the pod network at Flannel's own subnet manager; this cell runs ${formatCount(outcome.pods)} pods.`;
  const subnets =
    input.workerPrefixes.length === 1
      ? 'the worker subnet holds'
      : `the ${input.workerPrefixes.length} worker subnets hold`;
  if (outcome.bindingConstraint === 'worker-addresses') {
    return (
      `Worker addresses bind: ${subnets} ${formatCount(outcome.workerAddresses)} nodes ` +
      `(AWS keeps ${AWS_RESERVED_PER_SUBNET} addresses per subnet), ` +
      `the pod network would allow ${formatCount(outcome.nodePodSubnets)}. ${seed}`
    );
  }
  const many = input.workerPrefixes.length > 1;
  const workers = many ? `the ${input.workerPrefixes.length} worker networks` : 'the worker subnet';
  const binds =
    `The shared /${input.podPrefix} pod network ${input.podCidr}, not ${workers}, binds: ` +
    `at /${input.nodePodPrefix} per node it gives ` +
    `${formatCount(2 ** (input.nodePodPrefix - input.podPrefix))} node pod subnets, ` +
    `${input.controlPlaneNodes} of them for the control plane, so ${formatCount(outcome.nodes)} nodes ` +
    `although ${workers} ${many ? 'hold' : 'holds'} ${formatCount(outcome.workerAddresses)}.`;
  return `${binds} ${liftAdvice(input, outcome.workerAddresses)} ${seed}`;
}

function liftAdvice(input: CapacityInput, workerAddresses: number): string {
  const ways: string[] = [];
  const wider = input.podPrefix - 1;
  if (wider >= 1 && input.nodePodPrefix - wider <= MAX_NODE_POD_PREFIX_DIFF) {
    const nodes = Math.min(workerAddresses, nodePodSubnets(wider, input.nodePodPrefix, input.controlPlaneNodes));
    ways.push(`a bigger podCidr (a /${wider} allows ${formatCount(nodes)} nodes)`);
  }
  const longer = input.nodePodPrefix + 1;
  if (longer <= LONGEST_NODE_POD_PREFIX && longer - input.podPrefix <= MAX_NODE_POD_PREFIX_DIFF) {
    const nodes = Math.min(workerAddresses, nodePodSubnets(input.podPrefix, longer, input.controlPlaneNodes));
    const podsPerNode = Math.min(input.maxPods, 2 ** (32 - longer) - HOST_LOCAL_RESERVED);
    ways.push(
      `a longer nodePodPrefix (/${longer} allows ${formatCount(nodes)} nodes of up to ${formatCount(podsPerNode)} pods each)`,
    );
  }
  return ways.length > 0
    ? `To lift it, use ${ways.join(' or ')}.`
    : 'No valid podCidr or nodePodPrefix change lifts it further.';
}
