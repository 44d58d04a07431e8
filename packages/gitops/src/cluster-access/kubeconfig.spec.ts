import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { buildKubeconfig, checkCaCertificate, checkRoleArn, checkServerUrl, type KubeconfigInput } from './kubeconfig';

const CA_PEM = readFileSync(path.join(__dirname, '__fixtures__/ca.crt'), 'utf8');
const LEAF_PEM = readFileSync(path.join(__dirname, '__fixtures__/leaf.crt'), 'utf8');
const INPUT: KubeconfigInput = {
  clusterName: 'payments-prod-us-east-1-a1',
  region: 'us-east-1',
  apiDomain: 'api.a1.payments-prod-us-east-1.kitt.example.com',
  caPem: CA_PEM,
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a parsed kubeconfig, checked field by field
const built = (input: KubeconfigInput): any => parse(buildKubeconfig(input));

describe('buildKubeconfig', () => {
  it('names the cluster, user and context after the cluster and makes the context current', () => {
    const config = built(INPUT);
    expect(config).toMatchObject({ apiVersion: 'v1', kind: 'Config', 'current-context': INPUT.clusterName });
    expect(config.clusters.map((c: { name: string }) => c.name)).toEqual([INPUT.clusterName]);
    expect(config.users.map((u: { name: string }) => u.name)).toEqual([INPUT.clusterName]);
    expect(config.contexts).toEqual([
      { name: INPUT.clusterName, context: { cluster: INPUT.clusterName, user: INPUT.clusterName } },
    ]);
  });

  it("points at the API's private name on port 6443, without tls-server-name", () => {
    expect(built(INPUT).clusters[0].cluster.server).toBe(
      'https://api.a1.payments-prod-us-east-1.kitt.example.com:6443',
    );
    expect(built(INPUT).clusters[0].cluster).not.toHaveProperty('tls-server-name');
  });

  it('carries the CA PEM base64-encoded in certificate-authority-data', () => {
    const data = built(INPUT).clusters[0].cluster['certificate-authority-data'];
    expect(Buffer.from(data, 'base64').toString('utf8')).toBe(CA_PEM);
  });

  it('with a server, points there and has TLS check the API name', () => {
    const cluster = built({ ...INPUT, server: 'https://127.0.0.1:16443' }).clusters[0].cluster;
    expect(cluster.server).toBe('https://127.0.0.1:16443');
    expect(cluster['tls-server-name']).toBe(INPUT.apiDomain);
  });

  it("asks aws eks get-token for a token of the cluster, signed in the FLAG's region, never interactively", () => {
    expect(built(INPUT).users[0].user).toEqual({
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        command: 'aws',
        args: ['eks', 'get-token', '--cluster-name', INPUT.clusterName, '--region', 'us-east-1', '--output', 'json'],
        interactiveMode: 'Never',
      },
    });
  });

  it('with a role ARN, has the CLI assume it for the token', () => {
    const roleArn = 'arn:aws:iam::111111111111:role/payments-admins';
    expect(built({ ...INPUT, roleArn }).users[0].user.exec.args).toEqual([
      ...['eks', 'get-token', '--cluster-name', INPUT.clusterName, '--region', 'us-east-1'],
      ...['--role-arn', roleArn, '--output', 'json'],
    ]);
  });
});

describe('checkCaCertificate', () => {
  it('accepts one PEM CA certificate, with surrounding blank space trimmed to one final newline', () => {
    expect(checkCaCertificate(`\n${CA_PEM}\n\n`, 'x', 'input')).toBe(CA_PEM);
  });

  it.each([
    ['empty text', ''],
    ['text that is not PEM', 'None\n'],
    ['a private key', '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n'],
    ['two certificates', `${CA_PEM}${CA_PEM}`],
    [
      'a PEM block that is not a certificate',
      '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n',
    ],
  ])('refuses %s with KUBECONFIG_CA_INVALID naming the source', (_, text) => {
    expect(() => checkCaCertificate(text, '--ca-file ca.pem', 'input')).toThrow(
      expect.objectContaining({
        code: 'KUBECONFIG_CA_INVALID',
        kind: 'input',
        message: expect.stringContaining('--ca-file ca.pem'),
      }),
    );
  });

  it('refuses a certificate that is not a CA', () => {
    expect(() => checkCaCertificate(LEAF_PEM, 'SSM parameter p', 'external')).toThrow(
      expect.objectContaining({
        code: 'KUBECONFIG_CA_INVALID',
        kind: 'external',
        message: expect.stringContaining('not a CA'),
      }),
    );
  });
});

describe('checkServerUrl', () => {
  it('accepts an https URL with a port', () => {
    expect(checkServerUrl('https://127.0.0.1:16443')).toBe('https://127.0.0.1:16443');
  });

  it.each(['http://127.0.0.1:16443', '127.0.0.1:16443', 'https://127.0.0.1:16443/api', 'https://u:p@host'])(
    'refuses %s with KUBECONFIG_SERVER_INVALID',
    (server) => {
      expect(() => checkServerUrl(server)).toThrow(expect.objectContaining({ code: 'KUBECONFIG_SERVER_INVALID' }));
    },
  );
});

describe('checkRoleArn', () => {
  it('accepts an IAM role ARN with a path', () => {
    expect(checkRoleArn('arn:aws:iam::111111111111:role/teams/admins')).toBe(
      'arn:aws:iam::111111111111:role/teams/admins',
    );
  });

  it.each(['admins', 'arn:aws:iam::111111111111:user/alice', 'arn:aws:iam::1111:role/x'])(
    'refuses %s with KUBECONFIG_ROLE_ARN_INVALID',
    (arn) => {
      expect(() => checkRoleArn(arn)).toThrow(expect.objectContaining({ code: 'KUBECONFIG_ROLE_ARN_INVALID' }));
    },
  );
});
