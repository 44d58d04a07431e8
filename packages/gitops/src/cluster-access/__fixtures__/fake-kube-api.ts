import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpsServer, type TestHttpsServer, type TestPki } from './tls';

interface Meta {
  name: string;
  namespace?: string;
  annotations?: Record<string, string>;
}
export interface FakeService {
  metadata: Meta;
  spec: { type: string };
}
export interface FakeVolume {
  metadata: Meta;
  spec: { persistentVolumeReclaimPolicy: string; claimRef?: { namespace: string; name: string } };
}
export interface FakeClaim {
  metadata: Meta;
}

/**
 * A Kubernetes API server (HTTPS, bearer token) holding Services, PersistentVolumes and PersistentVolumeClaims,
 * with controllers that lag: a deleted LoadBalancer Service, or a volume under reclaim policy Delete whose claim
 * was deleted, is gone only after `lag` more list requests (as the cloud controller manager and the CSI
 * provisioner take a while to delete the load balancer or the EBS volume); names in `stuck` never go.
 */
export class FakeKubeApi {
  services: FakeService[] = [];
  volumes: FakeVolume[] = [];
  claims: FakeClaim[] = [];
  /** Requests as `METHOD path`, in order (lists included). */
  readonly requests: string[] = [];
  /** PATCH bodies, by path. */
  readonly patches: Record<string, unknown> = {};
  lag = 2;
  /** How many more `/readyz` requests answer 503. */
  notReadyFor = 0;
  readonly stuck = new Set<string>();
  private readonly going = new Map<object, number>();
  private server: TestHttpsServer | undefined;

  constructor(readonly token: string) {}

  get url(): string {
    return (this.server as TestHttpsServer).url;
  }

  async start(pki: TestPki): Promise<this> {
    this.server = await httpsServer(pki, (request, response, body) => {
      this.handle(request, response, body);
    });
    return this;
  }

  close(): Promise<void> {
    return this.server?.close() ?? Promise.resolve();
  }

  private tick(): void {
    for (const [object, left] of this.going) {
      if (left > 1) this.going.set(object, left - 1);
      else {
        this.going.delete(object);
        this.services = this.services.filter((s) => s !== object);
        this.volumes = this.volumes.filter((v) => v !== object);
      }
    }
  }

  private startGoing(object: FakeService | FakeVolume): void {
    if (!this.stuck.has(object.metadata.name) && !this.going.has(object)) this.going.set(object, this.lag);
  }

  private handle(request: IncomingMessage, response: ServerResponse, body: string): unknown {
    const method = request.method ?? 'GET';
    const path = request.url ?? '/';
    this.requests.push(`${method} ${path}`);
    const send = (status: number, json: unknown) =>
      response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(json));
    const status = (code: number, message: string) => send(code, { kind: 'Status', status: 'Failure', message, code });
    if (method === 'GET' && path === '/readyz') {
      // Anonymous, as kubeadm's API servers allow (system:public-info-viewer).
      if (this.notReadyFor > 0) {
        this.notReadyFor -= 1;
        return response.writeHead(503).end('[-]poststarthook/start-apiextensions-controllers failed\nreadyz check failed');
      }
      return response.writeHead(200).end('ok');
    }
    if (request.headers.authorization !== `Bearer ${this.token}`) return status(401, 'Unauthorized');

    if (method === 'GET' && path === '/api/v1/services') {
      this.tick();
      return send(200, { kind: 'ServiceList', items: this.services });
    }
    if (method === 'GET' && path === '/api/v1/persistentvolumes') {
      this.tick();
      return send(200, { kind: 'PersistentVolumeList', items: this.volumes });
    }
    let match = /^\/api\/v1\/namespaces\/([^/]+)\/services\/([^/]+)$/.exec(path);
    if (method === 'DELETE' && match) {
      const service = this.services.find((s) => s.metadata.namespace === match?.[1] && s.metadata.name === match?.[2]);
      if (!service) return status(404, `services "${match[2]}" not found`);
      this.startGoing(service);
      return send(200, service);
    }
    match = /^\/api\/v1\/namespaces\/([^/]+)\/persistentvolumeclaims\/([^/]+)$/.exec(path);
    if (method === 'DELETE' && match) {
      const claim = this.claims.find((c) => c.metadata.namespace === match?.[1] && c.metadata.name === match?.[2]);
      if (!claim) return status(404, `persistentvolumeclaims "${match[2]}" not found`);
      this.claims = this.claims.filter((c) => c !== claim);
      for (const volume of this.volumes) {
        const ref = volume.spec.claimRef;
        if (ref !== undefined && ref.namespace === match[1] && ref.name === match[2] && volume.spec.persistentVolumeReclaimPolicy === 'Delete')
          this.startGoing(volume);
      }
      return send(200, claim);
    }
    match = /^\/api\/v1\/persistentvolumes\/([^/]+)$/.exec(path);
    if (method === 'PATCH' && match) {
      if (request.headers['content-type'] !== 'application/merge-patch+json') return status(415, 'unsupported');
      const volume = this.volumes.find((v) => v.metadata.name === match?.[1]);
      if (!volume) return status(404, `persistentvolumes "${match[1]}" not found`);
      const patch = JSON.parse(body) as { spec?: { persistentVolumeReclaimPolicy?: string } };
      this.patches[path] = patch;
      Object.assign(volume.spec, patch.spec ?? {});
      return send(200, volume);
    }
    return status(404, `the server could not find the requested resource (${method} ${path})`);
  }
}

export function service(namespace: string, name: string, type: string): FakeService {
  return { metadata: { namespace, name }, spec: { type } };
}

/** A volume bound to claim `namespace/claim`; `provisioner` null: made by hand (static). */
export function volume(
  name: string,
  namespace: string,
  claim: string,
  policy: 'Delete' | 'Retain',
  provisioner: string | null = 'ebs.csi.aws.com',
): FakeVolume {
  return {
    metadata: { name, ...(provisioner ? { annotations: { 'pv.kubernetes.io/provisioned-by': provisioner } } : {}) },
    spec: { persistentVolumeReclaimPolicy: policy, claimRef: { namespace, name: claim } },
  };
}

export function claim(namespace: string, name: string): FakeClaim {
  return { metadata: { namespace, name } };
}
