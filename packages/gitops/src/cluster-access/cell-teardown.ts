/**
 * Before a cell's addons stack is destroyed: what Kubernetes made in AWS on
 * its own goes first, or it would outlive the cluster and block the deletion
 * of the subnets and the VPC. That is the load balancers of Services of type
 * LoadBalancer (the cloud controller manager deletes them when the Service
 * goes) and the volumes dynamically provisioned for PersistentVolumeClaims
 * (the CSI provisioner deletes them when their PersistentVolume goes, under
 * reclaim policy Delete). kitt deletes those objects through the API and waits,
 * bounded, until the controllers have removed them.
 */
import { capped } from './aws-cli';
import { ClusterAccessErrorCode, clusterAccessError } from './errors';
import { kubeJson, type KubeApiEndpoint } from './kube-api';

/** The annotation the PV controller puts on a volume a provisioner made. */
export const PROVISIONED_BY_ANNOTATION = 'pv.kubernetes.io/provisioned-by';
/** @default of `TeardownOptions.timeoutMs`: load balancers and volumes take minutes to go; a token lasts 15. */
export const TEARDOWN_TIMEOUT_MS = 10 * 60_000;
const INTERVAL_MS = 5_000;

interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly annotations?: Readonly<Record<string, string>>;
}
interface Service {
  readonly metadata: ObjectMeta;
  readonly spec?: { readonly type?: string };
}
interface PersistentVolume {
  readonly metadata: ObjectMeta;
  readonly spec?: {
    readonly persistentVolumeReclaimPolicy?: string;
    readonly claimRef?: { readonly namespace?: string; readonly name?: string };
  };
}

export interface TeardownOptions {
  /** @default TEARDOWN_TIMEOUT_MS */
  readonly timeoutMs?: number;
  /** @default 5 s */
  readonly intervalMs?: number;
  /** Told what is deleted, and what is still waited for. */
  readonly progress?: (line: string) => void;
}

/** What was deleted. */
export interface TeardownResult {
  /** `namespace/name` of each LoadBalancer Service. */
  readonly services: readonly string[];
  /** Name of each dynamically provisioned PersistentVolume (its claim is deleted with it). */
  readonly volumes: readonly string[];
}

const nameOf = (meta: ObjectMeta) => (meta.namespace ? `${meta.namespace}/${meta.name}` : meta.name);
const segment = encodeURIComponent;

async function loadBalancerServices(api: KubeApiEndpoint): Promise<Service[]> {
  const list = (await kubeJson(api, 'GET', '/api/v1/services')) as { items?: Service[] } | undefined;
  return (list?.items ?? []).filter((s) => s.spec?.type === 'LoadBalancer');
}

async function provisionedVolumes(api: KubeApiEndpoint): Promise<PersistentVolume[]> {
  const list = (await kubeJson(api, 'GET', '/api/v1/persistentvolumes')) as { items?: PersistentVolume[] } | undefined;
  return (list?.items ?? []).filter((v) => v.metadata.annotations?.[PROVISIONED_BY_ANNOTATION] !== undefined);
}

/** Deletes the cell's LoadBalancer Services and dynamically provisioned volumes, and waits until they are gone. */
export async function removeCloudResources(
  api: KubeApiEndpoint,
  options: TeardownOptions = {},
): Promise<TeardownResult> {
  const timeoutMs = options.timeoutMs ?? TEARDOWN_TIMEOUT_MS;
  const intervalMs = options.intervalMs ?? INTERVAL_MS;
  const say = options.progress ?? (() => {});

  const services = await loadBalancerServices(api);
  for (const service of services) {
    const { namespace = 'default', name } = service.metadata;
    say(`deleting Service ${namespace}/${name} (type LoadBalancer)`);
    await kubeJson(api, 'DELETE', `/api/v1/namespaces/${segment(namespace)}/services/${segment(name)}`, {
      also: [404],
    });
  }
  const volumes = await provisionedVolumes(api);
  for (const volume of volumes) {
    const name = volume.metadata.name;
    // Under Retain, deleting the claim would leave the volume in AWS: the volume must go with the cell.
    if (volume.spec?.persistentVolumeReclaimPolicy !== 'Delete') {
      say(`setting reclaim policy Delete on PersistentVolume ${name}`);
      await kubeJson(api, 'PATCH', `/api/v1/persistentvolumes/${segment(name)}`, {
        body: {
          contentType: 'application/merge-patch+json',
          json: { spec: { persistentVolumeReclaimPolicy: 'Delete' } },
        },
      });
    }
    const claim = volume.spec?.claimRef;
    if (claim?.name) {
      const namespace = claim.namespace ?? 'default';
      say(`deleting PersistentVolumeClaim ${namespace}/${claim.name} (volume ${name})`);
      await kubeJson(
        api,
        'DELETE',
        `/api/v1/namespaces/${segment(namespace)}/persistentvolumeclaims/${segment(claim.name)}`,
        { also: [404] },
      );
    }
  }

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = [
      ...(await loadBalancerServices(api)).map((s) => `Service ${nameOf(s.metadata)}`),
      ...(await provisionedVolumes(api)).map((v) => `PersistentVolume ${nameOf(v.metadata)}`),
    ];
    if (left.length === 0) break;
    if (Date.now() + intervalMs > deadline) {
      throw clusterAccessError(
        ClusterAccessErrorCode.CELL_CLEANUP_TIMEOUT,
        'external',
        `still there after ${Math.round(timeoutMs / 1000)} s: ${capped(left.join(', '))}. ` +
          `A claim stays while a pod uses it, and a Service while its load balancer cannot be deleted: ` +
          `remove the workloads first, then retry. The addons stack was not destroyed.`,
      );
    }
    say(`waiting for ${left.length} to go: ${capped(left.join(', '))}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return {
    services: services.map((s) => nameOf({ ...s.metadata, namespace: s.metadata.namespace ?? 'default' })),
    volumes: volumes.map((v) => v.metadata.name),
  };
}
