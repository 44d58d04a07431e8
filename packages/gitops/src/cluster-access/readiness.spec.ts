import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { waitForCellApi, type CellApiWait } from './readiness';
import { withTunnel } from './tunnel';
import { StandInAws } from './__fixtures__/stand-in-aws';
import { httpsServer, makePki, type TestHttpsServer, type TestPki } from './__fixtures__/tls';

const FLAG = { id: 'payments-prod-us-east-1', customer: 'payments', environment: 'prod', region: 'us-east-1' };
const API = 'api.a1.payments-prod-us-east-1.kitt.example.com';
const RETRY = 'kitt apply --commit 0123 --flag flags/payments/prod/us-east-1';

describe('waitForCellApi', () => {
  let pki: TestPki;
  let aws: StandInAws;
  let server: TestHttpsServer;
  /** What /readyz answers, in turn; the last answer repeats. */
  let answers: number[];
  let readyzCalls: number;
  beforeAll(() => {
    pki = makePki(API);
  });
  beforeEach(async () => {
    aws = new StandInAws();
    writeFileSync(path.join(aws.dir, 'ca.crt'), pki.caPem);
    answers = [200];
    readyzCalls = 0;
    server = await httpsServer(pki, (request, response) => {
      if (request.url !== '/readyz') return response.writeHead(404).end();
      const status = answers[Math.min(readyzCalls++, answers.length - 1)] as number;
      response.writeHead(status).end(status === 200 ? 'ok' : '[-]etcd failed: reason withheld\nreadyz check failed');
    });
  });
  afterEach(async () => {
    await server.close();
    aws.dispose();
  });

  const wait = (env: Record<string, string>, overrides: Partial<CellApiWait> = {}): CellApiWait => ({
    flag: FLAG,
    cell: 'a1',
    domain: 'kitt.example.com',
    apiUrl: server.url,
    env: aws.env({ STAND_IN_AWS_PARAMETER: path.join(aws.dir, 'ca.crt'), ...env }),
    retry: RETRY,
    timeoutMs: 3_000,
    intervalMs: 50,
    ...overrides,
  });

  it('waits for the CA parameter, then for /readyz through the tunnel, checking the API name with that CA', async () => {
    answers = [503, 503, 200];
    const env = { STAND_IN_AWS_PARAMETER_AFTER: '2', STAND_IN_AWS_FORWARD_TO: String(server.port) };
    const { caPem } = await withTunnel({ flag: FLAG, cell: 'a1', env: wait(env).env }, (tunnel) =>
      waitForCellApi(wait(env, { apiUrl: tunnel.url })),
    );
    expect(caPem).toBe(pki.caPem);
    expect(aws.calls().filter((c) => c[1] === 'get-parameter')).toHaveLength(3);
    expect(aws.calls().find((c) => c[1] === 'get-parameter')).toContain('/kitt/payments-prod-us-east-1/a1/ca.crt');
    expect(readyzCalls).toBe(3);
  });

  it('fails with CELL_API_NOT_READY, the last answer and the retry command when /readyz never says ok', async () => {
    answers = [503];
    await expect(waitForCellApi(wait({}, { timeoutMs: 500 }))).rejects.toMatchObject({
      code: 'CELL_API_NOT_READY',
      message: expect.stringMatching(
        new RegExp(
          `^the API of cell a1 of payments-prod-us-east-1 was not ready within 1 s: waiting for ${API}/readyz through ${server.url.replaceAll('.', '\\.')} \\(last answer: 503 \\[-\\]etcd failed.*Once the cell's controllers are up, retry: ${RETRY}$`,
          's',
        ),
      ),
    });
  });

  it('fails with CELL_API_NOT_READY naming the CA parameter while it is missing, and never asks the API', async () => {
    await expect(
      waitForCellApi(wait({ STAND_IN_AWS_PARAMETER_AFTER: '1000' }, { timeoutMs: 500 })),
    ).rejects.toMatchObject({
      code: 'CELL_API_NOT_READY',
      message: expect.stringContaining(
        'waiting for the CA parameter /kitt/payments-prod-us-east-1/a1/ca.crt (last answer: ',
      ),
    });
    expect(readyzCalls).toBe(0);
  });

  it('trusts no server whose certificate, though the cell CA signed it, does not carry the API name', async () => {
    await server.close();
    server = await httpsServer({ ...pki, ...pki.other }, (_, response) => response.writeHead(200).end('ok'));
    await expect(waitForCellApi(wait({}, { timeoutMs: 300 }))).rejects.toMatchObject({
      code: 'CELL_API_NOT_READY',
      message: expect.stringContaining(`Hostname/IP does not match certificate's altnames: Host: ${API}`),
    });
  });

  it('trusts no server whose certificate another CA signed', async () => {
    await server.close();
    server = await httpsServer(makePki('api.b1.payments-prod-us-east-1.kitt.example.com'), (_, response) =>
      response.writeHead(200).end('ok'),
    );
    await expect(waitForCellApi(wait({}, { timeoutMs: 300 }))).rejects.toMatchObject({
      code: 'CELL_API_NOT_READY',
      message: expect.stringMatching(/last answer: .*(certificate|Hostname)/),
    });
  });
});
