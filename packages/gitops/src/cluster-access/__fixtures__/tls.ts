import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/**
 * A CA and a serving certificate it signed for `serverName`, made with openssl (EC P-256, one day), and another
 * it signed for `otherName` (a server of the same cluster CA that is not the API).
 */
export interface TestPki {
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
  readonly other: { readonly certPem: string; readonly keyPem: string };
}

export function makePki(
  serverName: string | readonly string[],
  otherName = 'front-proxy-client.example.com',
): TestPki {
  const dir = mkdtempSync(path.join(tmpdir(), 'kitt-pki-'));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  try {
    run('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key');
    run('req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=kubernetes', '-days', '1', '-out', 'ca.crt');
    const sign = (name: string | readonly string[], file: string) => {
      run('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${file}.key`);
      run('req', '-new', '-key', `${file}.key`, '-subj', '/CN=kube-apiserver', '-out', `${file}.csr`);
      const names = typeof name === 'string' ? [name] : name;
      writeFileSync(path.join(dir, `${file}.ext`), `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}\n`);
      run(
        'x509',
        '-req',
        '-in',
        `${file}.csr`,
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-days',
        '1',
        '-extfile',
        `${file}.ext`,
        '-out',
        `${file}.crt`,
      );
    };
    sign(serverName, 'server');
    sign(otherName, 'other');
    const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');
    return {
      caPem: read('ca.crt'),
      certPem: read('server.crt'),
      keyPem: read('server.key'),
      other: { certPem: read('other.crt'), keyPem: read('other.key') },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface TestHttpsServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/** An HTTPS server on a free loopback port serving `pki`'s certificate. */
export async function httpsServer(
  pki: TestPki,
  handle: (request: IncomingMessage, response: ServerResponse, body: string) => void,
): Promise<TestHttpsServer> {
  const server = https.createServer({ cert: pki.certPem, key: pki.keyPem }, (request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => handle(request, response, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
