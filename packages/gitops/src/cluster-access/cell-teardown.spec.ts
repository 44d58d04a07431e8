import { removeCloudResources } from './cell-teardown';
import { clusterToken, type KubeApiEndpoint } from './kube-api';
import { claim, FakeKubeApi, service, volume } from './__fixtures__/fake-kube-api';
import { StandInAws } from './__fixtures__/stand-in-aws';
import { makePki, type TestPki } from './__fixtures__/tls';

const API = 'api.a1.payments-prod-us-east-1.kitt.example.com';
const CLUSTER = 'payments-prod-us-east-1-a1';
const TOKEN = `k8s-aws-v1.stand-in-${CLUSTER}`;

describe('removeCloudResources', () => {
  let pki: TestPki;
  let api: FakeKubeApi;
  let endpoint: KubeApiEndpoint;
  beforeAll(() => {
    pki = makePki(API);
  });
  beforeEach(async () => {
    api = await new FakeKubeApi(TOKEN).start(pki);
    endpoint = { url: api.url, caPem: pki.caPem, serverName: API, token: TOKEN };
  });
  afterEach(() => api.close());

  const fast = { timeoutMs: 3_000, intervalMs: 20 };

  it('deletes the Services of type LoadBalancer, and only those, and waits until they are gone', async () => {
    api.services = [
      service('shop', 'web', 'LoadBalancer'),
      service('shop', 'db', 'ClusterIP'),
      service('a', 'b', 'NodePort'),
    ];
    const result = await removeCloudResources(endpoint, fast);
    expect(result.services).toEqual(['shop/web']);
    expect(api.services.map((s) => s.metadata.name)).toEqual(['db', 'b']);
    expect(api.requests.filter((r) => r.startsWith('DELETE'))).toEqual(['DELETE /api/v1/namespaces/shop/services/web']);
  });

  it('deletes the claims of dynamically provisioned volumes and waits until the volumes are gone', async () => {
    api.volumes = [
      volume('pvc-1', 'shop', 'data-db-0', 'Delete'),
      volume('static-nfs', 'shop', 'shared', 'Retain', null),
    ];
    api.claims = [claim('shop', 'data-db-0'), claim('shop', 'shared')];
    const result = await removeCloudResources(endpoint, fast);
    expect(result.volumes).toEqual(['pvc-1']);
    expect(api.volumes.map((v) => v.metadata.name)).toEqual(['static-nfs']);
    expect(api.claims.map((c) => c.metadata.name)).toEqual(['shared']);
    expect(api.requests.filter((r) => !r.startsWith('GET'))).toEqual([
      'DELETE /api/v1/namespaces/shop/persistentvolumeclaims/data-db-0',
    ]);
  });

  it('sets reclaim policy Delete on a provisioned volume under Retain before deleting its claim, so its disk goes too', async () => {
    api.volumes = [volume('pvc-2', 'shop', 'logs', 'Retain')];
    api.claims = [claim('shop', 'logs')];
    await removeCloudResources(endpoint, fast);
    expect(api.requests.filter((r) => !r.startsWith('GET'))).toEqual([
      'PATCH /api/v1/persistentvolumes/pvc-2',
      'DELETE /api/v1/namespaces/shop/persistentvolumeclaims/logs',
    ]);
    expect(api.patches['/api/v1/persistentvolumes/pvc-2']).toEqual({
      spec: { persistentVolumeReclaimPolicy: 'Delete' },
    });
    expect(api.volumes).toEqual([]);
  });

  it('does nothing but look in a cell without load balancers or provisioned volumes', async () => {
    api.services = [service('kube-system', 'kube-dns', 'ClusterIP')];
    expect(await removeCloudResources(endpoint, fast)).toEqual({ services: [], volumes: [] });
    expect(api.requests.every((r) => r.startsWith('GET'))).toBe(true);
  });

  it('fails with CELL_CLEANUP_TIMEOUT, naming what is left, when something never goes', async () => {
    api.services = [service('shop', 'web', 'LoadBalancer')];
    api.volumes = [volume('pvc-3', 'shop', 'data', 'Delete')];
    api.claims = [claim('shop', 'data')];
    api.stuck.add('web');
    api.stuck.add('pvc-3');
    await expect(removeCloudResources(endpoint, { timeoutMs: 200, intervalMs: 20 })).rejects.toMatchObject({
      code: 'CELL_CLEANUP_TIMEOUT',
      message: expect.stringMatching(
        /^still there after 0 s: Service shop\/web, PersistentVolume pvc-3\. .*The addons stack was not destroyed\.$/,
      ),
    });
  });

  it('fails with KUBERNETES_API_FAILED and the API’s message when the token is refused', async () => {
    await expect(removeCloudResources({ ...endpoint, token: 'wrong' }, fast)).rejects.toMatchObject({
      code: 'KUBERNETES_API_FAILED',
      message: `GET /api/v1/services on ${API} answered 401: Unauthorized`,
    });
  });
});

describe('clusterToken', () => {
  let aws: StandInAws;
  beforeEach(() => {
    aws = new StandInAws();
  });
  afterEach(() => aws.dispose());

  it("reads the token of aws eks get-token's ExecCredential for the cluster, signed in the FLAG's region", async () => {
    expect(await clusterToken(CLUSTER, 'us-east-1', aws.env())).toBe(TOKEN);
    expect(aws.calls()).toEqual([
      ['eks', 'get-token', '--cluster-name', CLUSTER, '--region', 'us-east-1', '--output', 'json'],
    ]);
  });

  it('fails with AWS_CLI_FAILED and its stderr when the CLI fails', async () => {
    await expect(clusterToken(CLUSTER, 'us-east-1', aws.env({ STAND_IN_AWS_TOKEN: 'fail' }))).rejects.toMatchObject({
      code: 'AWS_CLI_FAILED',
      message: expect.stringContaining('Unable to locate credentials'),
    });
  });

  it('fails with CLUSTER_TOKEN_INVALID when the CLI prints no token', async () => {
    await expect(clusterToken(CLUSTER, 'us-east-1', aws.env({ STAND_IN_AWS_TOKEN: 'none' }))).rejects.toMatchObject({
      code: 'CLUSTER_TOKEN_INVALID',
      message: expect.stringContaining('eks get-token --cluster-name payments-prod-us-east-1-a1'),
    });
  });

  it('fails with AWS_CLI_NOT_FOUND when the aws CLI is not installed', async () => {
    const env = { PATH: process.env.PATH, KITT_AWS: '/nonexistent/aws' };
    await expect(clusterToken(CLUSTER, 'us-east-1', env)).rejects.toMatchObject({
      code: 'AWS_CLI_NOT_FOUND',
      message: expect.stringContaining('/nonexistent/aws'),
    });
  });
});
