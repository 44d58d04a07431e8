import type { AddonName } from '@kitt/flag-config';

/** A container image at one tag: never `latest`, so what runs changes only through a reviewed change. */
export interface PinnedImage {
  readonly repository: string;
  readonly tag: string;
}

/** A Helm chart at one version, from one repository, with the images it runs. */
export interface PinnedChart {
  /** Helm repository URL (`https://`, or `oci://` for a chart in an OCI registry). */
  readonly repository: string;
  readonly chart: string;
  /** Exact chart version (never a range). */
  readonly version: string;
  /** The addon's main image; `flag.yaml` `addons.<name>.imageTag` replaces its tag. */
  readonly image: PinnedImage;
  /** Further images the stack sets in the chart's values, each pinned too. */
  readonly otherImages?: Readonly<Record<string, PinnedImage>>;
}

/** Addons whose image must match the cell's Kubernetes minor version: they speak the API of their own minor. */
export const MINOR_BOUND_ADDONS = [
  'cloudControllerManager',
  'clusterAutoscaler',
] as const satisfies readonly AddonName[];
export type MinorBoundAddon = (typeof MINOR_BOUND_ADDONS)[number];

/** Their image tags per Kubernetes minor version (`MAJOR.MINOR`). A cell on a minor not listed must pin them in flag.yaml. */
export const IMAGE_TAGS_BY_KUBERNETES_MINOR: {
  readonly [minor: string]: { readonly [name in MinorBoundAddon]: string };
} = {
  '1.32': { cloudControllerManager: 'v1.32.8', clusterAutoscaler: 'v1.32.7' },
  '1.33': { cloudControllerManager: 'v1.33.4', clusterAutoscaler: 'v1.33.6' },
  '1.34': { cloudControllerManager: 'v1.34.3', clusterAutoscaler: 'v1.34.5' },
  '1.35': { cloudControllerManager: 'v1.35.2', clusterAutoscaler: 'v1.35.2' },
};

/** The minor of the default Kubernetes version (`CELL_DEFAULTS.kubernetesVersion`). */
const DEFAULT_MINOR = IMAGE_TAGS_BY_KUBERNETES_MINOR['1.34'] as { readonly [name in MinorBoundAddon]: string };

/**
 * The one place where the addons' versions live: every chart and every
 * image the stack names is pinned here (a FLAG may override one in
 * `flag.yaml` `addons:`). Bump a chart and its images together, after
 * reading the chart's values for renamed keys: Helm ignores a key it does
 * not know.
 */
export const ADDON_VERSIONS: { readonly [name in AddonName]: PinnedChart } = {
  flannel: {
    repository: 'https://flannel-io.github.io/flannel/',
    chart: 'flannel',
    version: 'v0.28.9',
    image: { repository: 'ghcr.io/flannel-io/flannel', tag: 'v0.28.9' },
    otherImages: {
      cniPlugin: { repository: 'ghcr.io/flannel-io/flannel-cni-plugin', tag: 'v1.9.1-flannel2' },
      networkPolicies: { repository: 'registry.k8s.io/networking/kube-network-policies', tag: 'v1.0.0' },
    },
  },
  cloudControllerManager: {
    repository: 'https://kubernetes.github.io/cloud-provider-aws',
    chart: 'aws-cloud-controller-manager',
    version: '0.0.11',
    // Each cell gets the tag of its own Kubernetes minor (IMAGE_TAGS_BY_KUBERNETES_MINOR).
    image: {
      repository: 'registry.k8s.io/provider-aws/cloud-controller-manager',
      tag: DEFAULT_MINOR.cloudControllerManager,
    },
  },
  coredns: {
    repository: 'https://coredns.github.io/helm',
    chart: 'coredns',
    version: '1.46.2',
    // The CoreDNS of kubeadm 1.34, from the Kubernetes registry.
    image: { repository: 'registry.k8s.io/coredns/coredns', tag: 'v1.12.1' },
  },
  ebsCsiDriver: {
    repository: 'https://kubernetes-sigs.github.io/aws-ebs-csi-driver',
    chart: 'aws-ebs-csi-driver',
    version: '2.64.0',
    image: { repository: 'public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver', tag: 'v1.64.0' },
  },
  clusterAutoscaler: {
    repository: 'https://kubernetes.github.io/autoscaler',
    chart: 'cluster-autoscaler',
    version: '9.59.0',
    // Each cell gets the tag of its own Kubernetes minor (IMAGE_TAGS_BY_KUBERNETES_MINOR).
    image: { repository: 'registry.k8s.io/autoscaling/cluster-autoscaler', tag: DEFAULT_MINOR.clusterAutoscaler },
  },
  nodeTerminationHandler: {
    // Published to an OCI registry only since chart 0.22.
    repository: 'oci://public.ecr.aws/aws-ec2/helm',
    chart: 'aws-node-termination-handler',
    version: '0.27.6',
    image: { repository: 'public.ecr.aws/aws-ec2/aws-node-termination-handler', tag: 'v1.25.6' },
  },
  metricsServer: {
    repository: 'https://kubernetes-sigs.github.io/metrics-server/',
    chart: 'metrics-server',
    version: '3.13.1',
    image: { repository: 'registry.k8s.io/metrics-server/metrics-server', tag: 'v0.8.1' },
  },
};
