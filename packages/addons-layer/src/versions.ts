import type { AddonName } from '@kitt/flag-config';

/** A container image at one tag: never `latest`, so what runs changes only through a reviewed change. */
export interface PinnedImage {
  readonly repository: string;
  readonly tag: string;
}

/** A Helm chart at one version, from one repository, with the images it runs. */
export interface PinnedChart {
  /** Helm repository URL. */
  readonly repository: string;
  readonly chart: string;
  /** Exact chart version (never a range). */
  readonly version: string;
  /** The addon's main image; `flag.yaml` `addons.<name>.imageTag` replaces its tag. */
  readonly image: PinnedImage;
  /** Further images the stack sets in the chart's values, each pinned too. */
  readonly otherImages?: Readonly<Record<string, PinnedImage>>;
}

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
    version: 'v0.27.4',
    image: { repository: 'ghcr.io/flannel-io/flannel', tag: 'v0.27.4' },
    otherImages: { cniPlugin: { repository: 'ghcr.io/flannel-io/flannel-cni-plugin', tag: 'v1.8.0-flannel1' } },
  },
  coredns: {
    repository: 'https://coredns.github.io/helm',
    chart: 'coredns',
    version: '1.43.0',
    image: { repository: 'registry.k8s.io/coredns/coredns', tag: 'v1.12.1' },
  },
  cloudControllerManager: {
    repository: 'https://kubernetes.github.io/cloud-provider-aws',
    chart: 'aws-cloud-controller-manager',
    version: '0.0.9',
    image: { repository: 'registry.k8s.io/provider-aws/cloud-controller-manager', tag: 'v1.34.0' },
  },
  ebsCsiDriver: {
    repository: 'https://kubernetes-sigs.github.io/aws-ebs-csi-driver',
    chart: 'aws-ebs-csi-driver',
    version: '2.48.0',
    image: { repository: 'public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver', tag: 'v1.48.0' },
  },
  clusterAutoscaler: {
    repository: 'https://kubernetes.github.io/autoscaler',
    chart: 'cluster-autoscaler',
    version: '9.50.1',
    image: { repository: 'registry.k8s.io/autoscaling/cluster-autoscaler', tag: 'v1.34.0' },
  },
  nodeTerminationHandler: {
    repository: 'https://aws.github.io/eks-charts',
    chart: 'aws-node-termination-handler',
    version: '0.21.0',
    image: { repository: 'public.ecr.aws/aws-ec2/aws-node-termination-handler', tag: 'v1.19.0' },
  },
  metricsServer: {
    repository: 'https://kubernetes-sigs.github.io/metrics-server/',
    chart: 'metrics-server',
    version: '3.13.0',
    image: { repository: 'registry.k8s.io/metrics-server/metrics-server', tag: 'v0.8.0' },
  },
};
