import { clusterAutoscalerTags, type AddonName } from '@kitt/flag-config';
import type { ResolvedAddon, ResolvedAddonsStackConfig } from './config';
import type { PinnedImage } from './versions';

/** One Helm release of an addon: what the stack hands the Helm provider. */
export interface AddonRelease {
  readonly addon: AddonName;
  /** Helm release name. */
  readonly name: string;
  readonly namespace: string;
  readonly createNamespace: boolean;
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
  /** The chart's values (given to Helm as one JSON document). */
  readonly values: Readonly<Record<string, unknown>>;
  /** Addons that must be running first (of those enabled). */
  readonly after: readonly AddonName[];
  /** A post-renderer Helm runs on the rendered chart (see `post-render.ts`). */
  readonly postRenderer?: PostRendererName;
}

/** The post-renderers the stack ships, by name: `ebs-csi-host-network` puts the EBS CSI controller on the host network. */
export type PostRendererName = 'ebs-csi-host-network';

/**
 * Control-plane nodes only. The AWS controllers run there with `hostNetwork`:
 * the control-plane role carries their permissions, and IMDS (hop limit 1)
 * answers only the node's own network namespace, never a pod's.
 */
export const CONTROL_PLANE_PLACEMENT = {
  nodeSelector: { 'node-role.kubernetes.io/control-plane': '' },
  tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
} as const;

/** Before the cloud controller manager has run, every node is tainted uninitialized; before Flannel, not ready. */
const UNINITIALIZED_NODE_TOLERATIONS = [
  { key: 'node.cloudprovider.kubernetes.io/uninitialized', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' },
] as const;

/** The network and the node lifecycle come first: nothing else schedules before both. */
const FOUNDATION: readonly AddonName[] = ['flannel', 'cloudControllerManager'];

const image = ({ repository, tag }: PinnedImage) => ({ repository, tag });

interface AddonRecipe {
  readonly release: string;
  readonly namespace: string;
  readonly values: (addon: ResolvedAddon, config: ResolvedAddonsStackConfig) => Record<string, unknown>;
  readonly postRenderer?: PostRendererName;
}

const RECIPES: { readonly [name in AddonName]: AddonRecipe } = {
  flannel: {
    release: 'flannel',
    namespace: 'kube-flannel',
    values: ({ chart }, { cellPlan }) => ({
      // The chart writes net-conf.json's Network from podCidr; node subnets come from the controller-manager.
      podCidr: cellPlan.podCidr,
      flannel: {
        image: image(chart.image),
        flannel_cni: { image: image(chart.otherImages?.cniPlugin as PinnedImage) },
        // --ip-masq: pod traffic leaving the cell is SNATed to the node, since the pod network is never routed.
        args: ['--ip-masq', '--kube-subnet-mgr'],
        backend: 'vxlan',
      },
      // Flannel routes but enforces no NetworkPolicy; kube-network-policies beside it on every node does.
      netpol: { enabled: true, image: image(chart.otherImages?.networkPolicies as PinnedImage) },
    }),
  },
  coredns: {
    release: 'coredns',
    namespace: 'kube-system',
    values: ({ chart }, { cellPlan }) => ({
      image: image(chart.image),
      replicaCount: 2,
      priorityClassName: 'system-cluster-critical',
      k8sAppLabelOverride: 'kube-dns',
      // kubelet's clusterDNS (the cell layer) is this address.
      service: { name: 'kube-dns', clusterIP: cellPlan.dnsServiceIp },
    }),
  },
  cloudControllerManager: {
    release: 'aws-cloud-controller-manager',
    namespace: 'kube-system',
    values: ({ chart }, { clusterName }) => ({
      image: image(chart.image),
      args: ['--v=2', '--cloud-provider=aws', '--configure-cloud-routes=false', `--cluster-name=${clusterName}`],
      hostNetworking: true,
      nodeSelector: CONTROL_PLANE_PLACEMENT.nodeSelector,
      tolerations: [...CONTROL_PLANE_PLACEMENT.tolerations, ...UNINITIALIZED_NODE_TOLERATIONS],
    }),
  },
  ebsCsiDriver: {
    release: 'aws-ebs-csi-driver',
    namespace: 'kube-system',
    // The chart has `node.hostNetwork` but nothing for its controller: the post-renderer adds `hostNetwork: true`
    // (and ClusterFirstWithHostNet) to the ebs-csi-controller Deployment. On the host its one port is the
    // liveness probe's 9808 (metrics stay off: no 3301-3307), which nothing else on the host network there uses
    // (CCM 10258, cluster-autoscaler 8085, kube-network-policies 9080, NTH none as set, flannel none; kubelet,
    // kube-proxy and the control plane 10248-10259); its two replicas take two of the three control-plane nodes.
    postRenderer: 'ebs-csi-host-network',
    values: ({ chart }, { flag }) => ({
      image: image(chart.image),
      controller: {
        region: flag.region,
        nodeSelector: CONTROL_PLANE_PLACEMENT.nodeSelector,
        tolerations: CONTROL_PLANE_PLACEMENT.tolerations,
      },
      node: { tolerateAllTaints: true },
      // The stack makes the one default StorageClass itself (encrypted).
      storageClasses: [],
    }),
  },
  clusterAutoscaler: {
    release: 'cluster-autoscaler',
    namespace: 'kube-system',
    values: ({ chart }, { flag, clusterName }) => ({
      image: image(chart.image),
      cloudProvider: 'aws',
      awsRegion: flag.region,
      // The worker groups carry these tags (the cell layer sets them from the same names).
      autoDiscovery: { clusterName, tags: Object.keys(clusterAutoscalerTags(clusterName)) },
      hostNetwork: true,
      nodeSelector: CONTROL_PLANE_PLACEMENT.nodeSelector,
      tolerations: CONTROL_PLANE_PLACEMENT.tolerations,
      extraArgs: { 'balance-similar-node-groups': true, 'skip-nodes-with-local-storage': false },
    }),
  },
  nodeTerminationHandler: {
    release: 'aws-node-termination-handler',
    namespace: 'kube-system',
    values: ({ chart }) => ({
      image: image(chart.image),
      // IMDS mode: a DaemonSet on every node, on the host network to reach IMDS.
      useHostNetwork: true,
      enableSpotInterruptionDraining: true,
      enableScheduledEventDraining: true,
    }),
  },
  metricsServer: {
    release: 'metrics-server',
    namespace: 'kube-system',
    values: ({ chart }) => ({
      image: image(chart.image),
      // kubeadm's kubelets serve self-signed certificates (no serving-certificate bootstrap in the cell layer).
      args: ['--kubelet-preferred-address-types=InternalIP', '--kubelet-insecure-tls'],
    }),
  },
};

/** The Helm releases of a cell's enabled addons, in install order. Pure. */
export function addonReleases(config: ResolvedAddonsStackConfig): AddonRelease[] {
  const enabled = new Set(config.addons.map((addon) => addon.name));
  return config.addons.map((addon) => {
    const recipe = RECIPES[addon.name];
    return {
      addon: addon.name,
      name: recipe.release,
      namespace: recipe.namespace,
      createNamespace: recipe.namespace !== 'kube-system',
      repository: addon.chart.repository,
      chart: addon.chart.chart,
      version: addon.chart.version,
      values: recipe.values(addon, config),
      after: FOUNDATION.includes(addon.name) ? [] : FOUNDATION.filter((name) => enabled.has(name)),
      ...(recipe.postRenderer === undefined ? {} : { postRenderer: recipe.postRenderer }),
    };
  });
}
