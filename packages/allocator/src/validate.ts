import { type Cidr, formatCidr, parseCidr, rangesOverlap } from './cidr';
import { cellCoordinates } from './coordinates';
import {
  DEFAULT_CONTROL_PLANE_NODES,
  DEFAULT_POD_CIDR,
  LINK_LOCAL_CIDR,
  LONGEST_NODE_POD_PREFIX,
  MAX_NODE_POD_PREFIX_DIFF,
} from './defaults';
import { GRID_VPC_PREFIX, GRID_ZONES, placeBlocks } from './grid';
import { ECHO_LIMIT, shortText } from './format';
import { IssueList } from './issue-list';
import type { NetworkInput, NetworkIssue } from './types';
import { validateCells } from './validate-cells';

/**
 * Every problem with the network part of a FLAG, in document order (not just
 * the first). Paths are relative to the flag document. Empty means
 * `planNetwork` will succeed. Zone names against the region and name formats
 * are checked by flag-config, not here.
 */
export function validateNetwork(input: NetworkInput): NetworkIssue[] {
  const list = new IssueList();
  const vpc = checkCidr(list, input.vpcCidr, 'network.vpcCidr', 'VPC CIDR');
  if (vpc && vpc.prefix !== GRID_VPC_PREFIX) {
    const slash16 = formatCidr({ base: vpc.base - (vpc.base % 2 ** 16), prefix: GRID_VPC_PREFIX });
    list.add(
      'VPC_NOT_SLASH16',
      'network.vpcCidr',
      `the VPC must be a /16, got /${vpc.prefix}: the address grid is laid out for exactly one /16, AWS's largest VPC CIDR block`,
      input.vpcCidr,
      `a /16 such as ${slash16}`,
    );
  }
  checkZones(list, input);
  const pod = checkCidr(list, input.podCidr, 'network.podCidr', 'pod CIDR');
  const reserved = input.reserved.map((text, i) => checkCidr(list, text, `network.reserved[${i}]`, 'reserved range'));
  if (pod) checkPodOverlaps(list, input, pod, vpc, reserved);
  checkNodePodPrefix(list, input, pod);
  checkCounts(list, input);
  if (input.topology !== 'single-az' && input.topology !== 'multi-az') {
    list.add(
      'TOPOLOGY_INVALID',
      'topology',
      `topology must be single-az or multi-az`,
      input.topology,
      'single-az | multi-az',
    );
  }
  validateCells(list, input);
  if (vpc && vpc.prefix === GRID_VPC_PREFIX) checkReservedOverlaps(list, input, vpc, reserved);
  return list.issues;
}

function checkCidr(list: IssueList, text: string, path: string, what: string): Cidr | undefined {
  const cidr = parseCidr(text);
  if (!cidr) {
    list.add(
      'CIDR_INVALID',
      path,
      `${what} ${text.length > ECHO_LIMIT ? shortText(text) : JSON.stringify(text)} is not an IPv4 CIDR`,
      text,
      'a CIDR such as 10.16.0.0/16',
    );
    return undefined;
  }
  const canonical = formatCidr(cidr);
  if (canonical !== text) {
    list.add(
      'CIDR_NOT_CANONICAL',
      path,
      `${what} ${text} is not written in canonical form (host bits cleared, no leading zeros); the range it denotes is ${canonical}`,
      text,
      canonical,
    );
  }
  return cidr;
}

function checkZones(list: IssueList, input: NetworkInput): void {
  const { zones } = input;
  if (zones.length === 0)
    list.add(
      'ZONES_EMPTY',
      'network.zones',
      'at least one zone is needed: every subnet lives in a zone',
      zones,
      'one to three availability zones',
    );
  if (zones.length > GRID_ZONES) {
    list.add(
      'TOO_MANY_ZONES',
      'network.zones',
      `${zones.length} zones given; the grid has room for ${GRID_ZONES} (each zone has a fixed share of the /16)`,
      zones,
      `at most ${GRID_ZONES} zones`,
    );
  }
  // First index of each zone in one pass: indexOf per zone is quadratic, and a file can list thousands.
  const firstAt = new Map<string, number>();
  zones.forEach((zone, i) => {
    const first = firstAt.get(zone) ?? i;
    if (first === i) firstAt.set(zone, i);
    if (first !== i)
      list.add(
        'ZONE_DUPLICATE',
        `network.zones[${i}]`,
        `zone ${shortText(zone)} is listed twice (first at network.zones[${first}])`,
        zone,
        'each zone once',
      );
  });
  const distinct = new Set(zones).size;
  if (input.topology === 'multi-az' && distinct < GRID_ZONES) {
    list.add(
      'MULTI_AZ_NEEDS_THREE_ZONES',
      'network.zones',
      `a multi-AZ FLAG needs three zones, got ${distinct}: etcd's three members would share zones, ` +
        'and losing the zone that holds two of them would lose quorum',
      zones,
      'three zones',
    );
  }
}

function checkPodOverlaps(
  list: IssueList,
  input: NetworkInput,
  pod: Cidr,
  vpc: Cidr | undefined,
  reserved: ReadonlyArray<Cidr | undefined>,
): void {
  const clash = (what: string) =>
    list.add(
      'POD_CIDR_OVERLAP',
      'network.podCidr',
      `pod network ${input.podCidr} overlaps ${what}: pod addresses must be disjoint from everything routable`,
      input.podCidr,
      podSuggestion(pod, vpc, reserved),
    );
  if (vpc && rangesOverlap(pod, vpc)) clash(`the VPC ${input.vpcCidr}`);
  reserved.forEach((range, i) => {
    if (range && rangesOverlap(pod, range)) clash(`reserved range ${input.reserved[i]} (network.reserved[${i}])`);
  });
  const linkLocal = parseCidr(LINK_LOCAL_CIDR);
  if (linkLocal && rangesOverlap(pod, linkLocal))
    clash(`link-local ${LINK_LOCAL_CIDR} (instance metadata, Amazon DNS)`);
}

function podSuggestion(pod: Cidr, vpc: Cidr | undefined, reserved: ReadonlyArray<Cidr | undefined>): string {
  const fallback = parseCidr(DEFAULT_POD_CIDR);
  const taken = [vpc, ...reserved].filter((r): r is Cidr => r !== undefined);
  const defaultFree = fallback && fallback.base !== pod.base && !taken.some((r) => rangesOverlap(r, fallback));
  return defaultFree
    ? `a range outside the VPC, reserved ranges and ${LINK_LOCAL_CIDR}, such as ${DEFAULT_POD_CIDR}`
    : `a range outside the VPC, reserved ranges and ${LINK_LOCAL_CIDR}`;
}

/** Room for more node pod subnets than the control plane takes, at most /28, at most 16 bits past the pod prefix. */
function checkNodePodPrefix(list: IssueList, input: NetworkInput, pod: Cidr | undefined): void {
  const prefix = input.nodePodPrefix;
  const controlPlane = validCount(input.controlPlaneNodes, 0) ?? DEFAULT_CONTROL_PLANE_NODES;
  if (!pod) {
    if (!Number.isInteger(prefix) || prefix < 1 || prefix > LONGEST_NODE_POD_PREFIX) {
      list.add(
        'NODE_POD_PREFIX_INVALID',
        'network.nodePodPrefix',
        `node pod prefix must be a whole number up to ${LONGEST_NODE_POD_PREFIX}`,
        prefix,
        `1–${LONGEST_NODE_POD_PREFIX}`,
      );
    }
    return;
  }
  const shortest = pod.prefix + Math.max(1, Math.ceil(Math.log2(controlPlane + 1)));
  const longest = Math.min(LONGEST_NODE_POD_PREFIX, pod.prefix + MAX_NODE_POD_PREFIX_DIFF);
  if (shortest > longest) {
    list.add(
      'POD_CIDR_TOO_SMALL',
      'network.podCidr',
      `pod network ${input.podCidr} is too small to give ${controlPlane} control-plane nodes and any worker ` +
        `a node pod subnet of /${LONGEST_NODE_POD_PREFIX} or larger`,
      input.podCidr,
      `a /16 such as ${DEFAULT_POD_CIDR}`,
    );
    return;
  }
  if (!Number.isInteger(prefix) || prefix < shortest || prefix > longest) {
    list.add(
      'NODE_POD_PREFIX_INVALID',
      'network.nodePodPrefix',
      `node pod prefix ${JSON.stringify(prefix)} does not fit the pod network /${pod.prefix}: ` +
        `it must be long enough to give more node subnets than the ${controlPlane} control-plane nodes take ` +
        `(/${shortest} or longer), leave room for pods (/${LONGEST_NODE_POD_PREFIX} or shorter) ` +
        `and be at most ${MAX_NODE_POD_PREFIX_DIFF} bits longer than the pod network (kube-controller-manager's limit)`,
      prefix,
      `${shortest}–${longest}`,
    );
  }
}

function checkCounts(list: IssueList, input: NetworkInput): void {
  if (input.maxPods !== undefined && validCount(input.maxPods, 1) === undefined) {
    list.add(
      'MAX_PODS_INVALID',
      'network.maxPods',
      'kubelet maxPods must be a whole number of at least 1',
      input.maxPods,
      'e.g. 110 (the kubelet default)',
    );
  }
  if (input.controlPlaneNodes !== undefined && validCount(input.controlPlaneNodes, 0) === undefined) {
    list.add(
      'CONTROL_PLANE_NODES_INVALID',
      'network.controlPlaneNodes',
      'control-plane nodes must be a whole number, 0 or more',
      input.controlPlaneNodes,
      'e.g. 3',
    );
  }
}

function validCount(value: number | undefined, min: number): number | undefined {
  return value !== undefined && Number.isInteger(value) && value >= min ? value : undefined;
}

function checkReservedOverlaps(
  list: IssueList,
  input: NetworkInput,
  vpc: Cidr,
  reserved: ReadonlyArray<Cidr | undefined>,
): void {
  const placed = input.cells.flatMap((cell) => cellCoordinates(input.topology, input.zones, cell) ?? []);
  const blocks = placeBlocks(vpc.base, input.zones, dropTakenTwice(placed));
  reserved.forEach((range, i) => {
    if (!range) return;
    const hits = blocks.filter((block) => rangesOverlap(block.range, range));
    if (hits.length === 0) return;
    const named = hits.slice(0, 3).map((b) => `${b.name} (${formatCidr(b.range)})`);
    const more = hits.length > 3 ? ` and ${hits.length - 3} more` : '';
    list.add(
      'RESERVED_OVERLAP',
      `network.reserved[${i}]`,
      `reserved range ${input.reserved[i]} overlaps blocks in use: ${named.join(', ')}${more}`,
      input.reserved[i],
      'a range that overlaps no block in use (or a VPC CIDR clear of it)',
    );
  });
}

/** Two cells on one place are reported as CELL_SLOT_TAKEN; only the first is laid out for further checks. */
function dropTakenTwice<T extends { readonly slot: number; readonly zones: readonly number[] }>(
  cells: readonly T[],
): T[] {
  const seen = new Set<string>();
  return cells.filter((cell) => {
    const key = `${cell.zones.join(',')}/${cell.slot}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
