import { KUBE_API_PORT } from '@kitt/flag-config';
import { toYaml } from './yaml-text';
import type { CellBootstrapConfig } from './config';
import { ETCD_CLIENT_PORT } from './etcd';

/**
 * kubeadm configuration (API v1beta4, Kubernetes 1.31 and later). Values
 * known only at boot are placeholders `__NAME__` that `fill_template`
 * replaces on the node: the node name and provider ID, and for joins the
 * bootstrap token and CA pin, which are secrets or derived from them and so
 * never in user data.
 */

export const KUBEADM_API = 'kubeadm.k8s.io/v1beta4';
export const API_PORT = KUBE_API_PORT;
export const KUBEADM_DIR = '/etc/kitt/kubeadm';
export const KUBEADM_PATCHES_DIR = `${KUBEADM_DIR}/patches`;
export const AUTHENTICATOR_KUBECONFIG_DIR = '/etc/kubernetes/aws-iam-authenticator';
export const AUTHENTICATOR_KUBECONFIG = `${AUTHENTICATOR_KUBECONFIG_DIR}/kubeconfig.yaml`;
const PKI = '/etc/kubernetes/pki';

/** Placeholders a boot script fills in (see `fill_template` in lib.sh). */
export const PLACEHOLDERS = {
  nodeName: '__NODE_NAME__',
  providerId: '__PROVIDER_ID__',
  joinToken: '__JOIN_TOKEN__',
  caCertHash: '__CA_CERT_HASH__',
} as const;

type Args = readonly { readonly name: string; readonly value: string }[];

function args(map: Record<string, string>): Args {
  return Object.entries(map).map(([name, value]) => ({ name, value }));
}

export function apiServerEndpoint(config: CellBootstrapConfig): string {
  return `${config.apiEndpoint}:${API_PORT}`;
}

export function etcdEndpoints(config: CellBootstrapConfig): string[] {
  return config.etcdMembers.map((member) => `https://${member.ip}:${ETCD_CLIENT_PORT}`);
}

/** The node's registration: named after its private DNS name, its instance found by provider ID. */
function nodeRegistration() {
  return {
    name: PLACEHOLDERS.nodeName,
    kubeletExtraArgs: args({ 'cloud-provider': 'external', 'provider-id': PLACEHOLDERS.providerId }),
  };
}

export function clusterConfiguration(config: CellBootstrapConfig) {
  return {
    apiVersion: KUBEADM_API,
    kind: 'ClusterConfiguration',
    clusterName: config.clusterName,
    kubernetesVersion: `v${config.kubernetesVersion}`,
    controlPlaneEndpoint: apiServerEndpoint(config),
    networking: { serviceSubnet: config.serviceCidr, podSubnet: config.podCidr, dnsDomain: 'cluster.local' },
    etcd: {
      external: {
        endpoints: etcdEndpoints(config),
        caFile: `${PKI}/etcd/ca.crt`,
        certFile: `${PKI}/apiserver-etcd-client.crt`,
        keyFile: `${PKI}/apiserver-etcd-client.key`,
      },
    },
    apiServer: {
      certSANs: [config.apiEndpoint, config.apiServiceIp],
      extraArgs: args({
        'authentication-token-webhook-config-file': AUTHENTICATOR_KUBECONFIG,
      }),
      extraVolumes: [
        {
          name: 'aws-iam-authenticator',
          hostPath: AUTHENTICATOR_KUBECONFIG_DIR,
          mountPath: AUTHENTICATOR_KUBECONFIG_DIR,
          readOnly: true,
          pathType: 'Directory',
        },
      ],
    },
    controllerManager: {
      extraArgs: args({
        'allocate-node-cidrs': 'true',
        'node-cidr-mask-size': String(config.nodePodPrefix),
        'cluster-name': config.clusterName,
        'cloud-provider': 'external',
      }),
    },
  };
}

export function kubeletConfiguration(config: CellBootstrapConfig) {
  return {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    cgroupDriver: 'systemd',
    clusterDNS: [config.dnsServiceIp],
    clusterDomain: 'cluster.local',
  };
}

function initConfiguration() {
  return { apiVersion: KUBEADM_API, kind: 'InitConfiguration', nodeRegistration: nodeRegistration() };
}

function joinConfiguration(config: CellBootstrapConfig, controlPlane: boolean) {
  return {
    apiVersion: KUBEADM_API,
    kind: 'JoinConfiguration',
    discovery: {
      bootstrapToken: {
        apiServerEndpoint: apiServerEndpoint(config),
        token: PLACEHOLDERS.joinToken,
        caCertHashes: [PLACEHOLDERS.caCertHash],
      },
    },
    nodeRegistration: nodeRegistration(),
    patches: { directory: KUBEADM_PATCHES_DIR },
    // The shared certificates come from SSM before the join, so no certificate key is needed.
    ...(controlPlane ? { controlPlane: {} } : {}),
  };
}

/** `kubeadm init --config` of the first controller: Init, Cluster and Kubelet configuration. */
export function kubeadmInitFile(config: CellBootstrapConfig): string {
  return [initConfiguration(), clusterConfiguration(config), kubeletConfiguration(config)]
    .map((doc) => toYaml(doc))
    .join('---\n');
}

/** `kubeadm join --config` of a controller after the first. */
export function kubeadmControlPlaneJoinFile(config: CellBootstrapConfig): string {
  return toYaml(joinConfiguration(config, true));
}

/** `kubeadm join --config` of a worker. */
export function kubeadmWorkerJoinFile(config: CellBootstrapConfig): string {
  return toYaml(joinConfiguration(config, false));
}

/**
 * A kubelet patch applied at join: the cluster's kubelet ConfigMap already
 * carries clusterDNS; the patch keeps a joining node right even if that
 * ConfigMap drifts.
 */
export function kubeletPatchFile(config: CellBootstrapConfig): { readonly path: string; readonly content: string } {
  return {
    path: `${KUBEADM_PATCHES_DIR}/kubeletconfiguration+merge.yaml`,
    content: toYaml({ clusterDNS: [config.dnsServiceIp] }),
  };
}
