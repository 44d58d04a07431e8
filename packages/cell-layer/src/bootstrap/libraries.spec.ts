import { spawnSync } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { itWithTool } from './__fixtures__/debian-tool';
import { exampleConfig } from './__fixtures__/example-config';
import { commonLibrary, pkiLibrary } from './libraries';

const OPENSSL = { command: 'openssl', debianPackage: 'openssl' };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kitt-lib-'));
  writeFileSync(join(dir, 'lib.sh'), commonLibrary(exampleConfig));
  writeFileSync(join(dir, 'pki-lib.sh'), pkiLibrary(exampleConfig));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `body` in bash with both libraries sourced, in the temporary directory, under the scripts' shell options. */
function bash(body: string, args: readonly string[] = []): { status: number | null; stdout: string; stderr: string } {
  const script = `set -euo pipefail\n. ./lib.sh\n. ./pki-lib.sh\n${body}`;
  const result = spawnSync('bash', ['-c', script, 'test', ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function certificate(name: string): X509Certificate {
  return new X509Certificate(readFileSync(join(dir, name)));
}

describe('pki-lib.sh', () => {
  itWithTool(OPENSSL, 'new_ca makes a self-signed certificate authority', () => {
    expect(bash('new_ca ca.key ca.crt etcd-ca').status).toBe(0);
    const ca = certificate('ca.crt');
    expect(ca.ca).toBe(true);
    expect(ca.subject).toBe('CN=etcd-ca');
    expect(ca.checkIssued(ca)).toBe(true);
    expect(statSync(join(dir, 'ca.key')).mode & 0o777).toBe(0o600);
  });

  itWithTool(OPENSSL, 'issue_cert signs a leaf certificate for the given addresses with the CA', () => {
    const result = bash(
      'new_ca ca.key ca.crt etcd-ca && issue_cert ca.crt ca.key peer.key peer.crt /CN=etcd-1 serverAuth,clientAuth "IP:10.0.196.11"',
    );
    expect(result).toMatchObject({ status: 0 });
    const ca = certificate('ca.crt');
    const leaf = certificate('peer.crt');
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.subjectAltName).toBe('IP Address:10.0.196.11');
    expect(leaf.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']));
  });
});

describe('lib.sh', () => {
  itWithTool(OPENSSL, "ca_cert_hash gives kubeadm's pin: sha256 of the certificate's DER public key", () => {
    const result = bash('new_ca ca.key ca.crt kubernetes && ca_cert_hash ca.crt');
    expect(result.status).toBe(0);
    const spki = certificate('ca.crt').publicKey.export({ type: 'spki', format: 'der' });
    expect(result.stdout).toBe(`sha256:${createHash('sha256').update(spki).digest('hex')}\n`);
  });

  it('fill_template replaces each placeholder with its value taken literally, into a file only root can read', () => {
    writeFileSync(join(dir, 'template.yaml'), 'token: __JOIN_TOKEN__\nname: __NODE_NAME__\nagain: __NODE_NAME__\n');
    const result = bash('fill_template template.yaml out.yaml JOIN_TOKEN "$1" NODE_NAME "$2"', [
      'a&b\\c/*',
      'ip-10-0-1-2',
    ]);
    expect(result.status).toBe(0);
    expect(readFileSync(join(dir, 'out.yaml'), 'utf8')).toBe(
      'token: a&b\\c/*\nname: ip-10-0-1-2\nagain: ip-10-0-1-2\n',
    );
    expect(statSync(join(dir, 'out.yaml')).mode & 0o777).toBe(0o600);
  });

  it('retry runs a command until it succeeds', () => {
    const result = bash('n=0; attempt() { n=$((n + 1)); [ "$n" -ge 3 ]; }; retry 5 0 attempt; echo "$n"');
    expect(result).toMatchObject({ status: 0, stdout: '3\n' });
  });

  it('retry gives up after the given number of attempts and fails', () => {
    const result = bash('retry 3 0 false');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('gave up after 3 attempts: false');
  });

  it('must_match refuses a value of the wrong shape without printing the value', () => {
    const result = bash('must_match "$1" \'^[a-z0-9]{6}[.][a-z0-9]{16}$\' "join token shape"', ['s3cret-value']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toBe('kitt: unexpected join token shape\n');
  });
});
