import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { cellApiAccess, tunnelWanted, type CellApiAccessConfig } from './cell-api-access';
import { FakeKubeApi, service } from './__fixtures__/fake-kube-api';
import { StandInAws, waitUntilGone } from './__fixtures__/stand-in-aws';
import { makePki, type TestPki } from './__fixtures__/tls';

const FLAG_ID = 'payments-prod-us-east-1';
const ADDONS = { flagId: FLAG_ID, stack: `${FLAG_ID}-addons-a1` };
const API = 'api.a1.payments-prod-us-east-1.kitt.example.com';
const TOKEN = 'k8s-aws-v1.stand-in-payments-prod-us-east-1-a1';
const RETRY = 'kitt apply --commit 0123abc';

describe('cellApiAccess', () => {
  let pki: TestPki;
  let aws: StandInAws;
  let api: FakeKubeApi;
  beforeAll(() => {
    pki = makePki(API);
  });
  beforeEach(async () => {
    aws = new StandInAws();
    writeFileSync(path.join(aws.dir, 'ca.crt'), pki.caPem);
    api = await new FakeKubeApi(TOKEN).start(pki);
  });
  afterEach(async () => {
    await api.close();
    aws.dispose();
  });

  const config = (
    env: Record<string, string> = {},
    overrides: Partial<CellApiAccessConfig> = {},
  ): CellApiAccessConfig => ({
    env: aws.env({
      STAND_IN_AWS_FORWARD_TO: new URL(api.url).port,
      STAND_IN_AWS_PARAMETER: path.join(aws.dir, 'ca.crt'),
      ...env,
    }),
    domain: () => 'kitt.example.com',
    tunnel: true,
    retry: RETRY,
    readyTimeoutMs: 5_000,
    teardownTimeoutMs: 3_000,
    intervalMs: 50,
    ...overrides,
  });

  it('hands an addons stack the tunnel’s URL as its API host variable, and closes the tunnel after', async () => {
    const lines: string[] = [];
    const variables = await cellApiAccess(config({}, { progress: (line) => lines.push(line) })).around(
      { stack: ADDONS },
      async (session) => session.variables,
    );
    expect(variables).toEqual({ kube_api_host: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+$/) });
    expect(lines).toEqual([`tunnel to cell a1 of ${FLAG_ID} through i-0123456789abcdef0: ${variables.kube_api_host}`]);
    expect(await waitUntilGone(aws.sessionPids())).toEqual([]);
    expect(aws.calls().map((c) => c[1])).toEqual(['describe-instances', 'start-session']);
  });

  it('after its cell applied, waits for a control-plane instance, the CA parameter and /readyz first', async () => {
    api.notReadyFor = 2;
    const access = cellApiAccess(config({ STAND_IN_AWS_INSTANCES_AFTER: '2', STAND_IN_AWS_PARAMETER_AFTER: '1' }));
    const seen = await access.around({ stack: ADDONS, cellJustApplied: true }, async () => ({
      notReadyFor: api.notReadyFor,
      calls: aws.calls().map((c) => c[1]),
    }));
    expect(seen).toEqual({
      notReadyFor: 0,
      calls: [
        'describe-instances',
        'describe-instances',
        'describe-instances',
        'start-session',
        'get-parameter',
        'get-parameter',
      ],
    });
  });

  it('fails with CELL_API_NOT_READY and the retry command when no control-plane instance comes up in time', async () => {
    const access = cellApiAccess(config({ STAND_IN_AWS_INSTANCES: '' }, { readyTimeoutMs: 300 }));
    const use = jest.fn();
    await expect(access.around({ stack: ADDONS, cellJustApplied: true }, use)).rejects.toMatchObject({
      code: 'CELL_API_NOT_READY',
      message: expect.stringMatching(
        /waiting for a control-plane instance to tunnel to .*retry: kitt apply --commit 0123abc$/s,
      ),
    });
    expect(use).not.toHaveBeenCalled();
  });

  it('opens no tunnel for a stack whose cell is not new and fails at once when there is no control plane', async () => {
    const access = cellApiAccess(config({ STAND_IN_AWS_INSTANCES: '' }));
    await expect(access.around({ stack: ADDONS }, jest.fn())).rejects.toMatchObject({
      code: 'TUNNEL_NO_CONTROL_PLANE',
    });
  });

  it('before a destroy, deletes the cluster’s LoadBalancer Services through the tunnel with an aws eks get-token token', async () => {
    api.services = [service('shop', 'web', 'LoadBalancer')];
    await cellApiAccess(config()).around({ stack: ADDONS }, (session) => session.beforeDestroy());
    expect(api.requests).toContain('DELETE /api/v1/namespaces/shop/services/web');
    expect(api.services).toEqual([]);
  });

  it('with the tunnel off, makes no aws call and leaves the host variable at its default (the private name)', async () => {
    const variables = await cellApiAccess(config({}, { tunnel: false })).around(
      { stack: ADDONS },
      async (session) => session.variables,
    );
    expect(variables).toEqual({});
    expect(aws.calls()).toEqual([]);
  });

  it('refuses an org without a domain, naming the stack', async () => {
    const access = cellApiAccess(config({}, { domain: () => undefined }));
    await expect(access.around({ stack: ADDONS }, jest.fn())).rejects.toMatchObject({
      code: 'KUBECONFIG_DOMAIN_MISSING',
      message: expect.stringContaining(ADDONS.stack),
    });
  });
});

describe('tunnelWanted', () => {
  it.each([
    [false, {}, true],
    [true, {}, false],
    [false, { KITT_NO_TUNNEL: '1' }, false],
    [false, { KITT_NO_TUNNEL: 'true' }, false],
    [false, { KITT_NO_TUNNEL: '' }, true],
  ])('--no-tunnel %s with %j: %s', (option, env, wanted) => {
    expect(tunnelWanted(option, env)).toBe(wanted);
  });
});
