/** Defaults and fixed facts of the platform (AWS, Kubernetes), in one place. */

/** RFC 6598 shared address space: never routed, reused by every cell. */
export const DEFAULT_POD_CIDR = '100.64.0.0/16';
/** Each node's pod subnet (kube-controller-manager `--node-cidr-mask-size`). */
export const DEFAULT_NODE_POD_PREFIX = 24;
/** kubelet's default `maxPods`. */
export const DEFAULT_MAX_PODS = 110;
/** Control-plane nodes register with kubelet and take a node pod subnet each. */
export const DEFAULT_CONTROL_PLANE_NODES = 3;

/** Link-local: instance metadata (169.254.169.254) and the Amazon DNS resolver live here. */
export const LINK_LOCAL_CIDR = '169.254.0.0/16';

/** AWS reserves the first four addresses and the last one of every subnet. */
export const AWS_RESERVED_PER_SUBNET = 5;
/** AWS subnet and VPC CIDR blocks are between /16 and /28. */
export const AWS_LARGEST_PREFIX = 16;
export const AWS_SMALLEST_PREFIX = 28;

/** host-local IPAM hands out neither the network nor the broadcast address, and the bridge (cni0) takes the first. */
export const HOST_LOCAL_RESERVED = 3;
/** Kubernetes never allocates a service range's network and broadcast addresses. */
export const SERVICE_RANGE_RESERVED = 2;
/** kube-controller-manager refuses a node CIDR mask more than 16 bits longer than the cluster CIDR's. */
export const MAX_NODE_POD_PREFIX_DIFF = 16;
/** Smallest node pod subnet we accept: a /28 still leaves 13 pods. */
export const LONGEST_NODE_POD_PREFIX = 28;

/** Etcd always has three members: one zone may fail without losing quorum. */
export const ETCD_MEMBERS = 3;
/** Etcd member i takes host address ETCD_FIRST_HOST + i of its management subnet (AWS reserves .0–.3). */
export const ETCD_FIRST_HOST = 10;
/** `kubernetes.default` is the service network's address + 1. */
export const API_SERVICE_HOST = 1;
/** Cluster DNS is the service network's address + 10. */
export const DNS_SERVICE_HOST = 10;

/** The seed design's network-level figure: Flannel's own subnet manager, 250 nodes × 255 pods. */
export const SEED_NODES = 250;
export const SEED_PODS_PER_NODE = 255;
