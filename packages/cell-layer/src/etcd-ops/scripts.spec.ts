import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { itWithTool } from '../bootstrap/__fixtures__/debian-tool';
import { installScripts, removeDir } from './__fixtures__/etcd-cluster';
import {
  ETCD_HEALTH_SCRIPT_NAME,
  ETCD_OPS_SCRIPTS,
  ETCD_RESTORE_SCRIPT_NAME,
  ETCD_SNAPSHOT_SCRIPT_NAME,
} from './scripts';

const SHELLCHECK = { command: 'shellcheck', debianPackage: 'shellcheck' };

let dir: string;
let scripts: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kitt-etcd-scripts-'));
  scripts = installScripts(join(dir, 'bin'));
});
afterEach(() => removeDir(dir));

/** Runs a script whose etcdctl and aws fail loudly, so that only its argument checks can answer. */
function script(name: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  const fakes = join(dir, 'fakes');
  mkdirSync(fakes, { recursive: true });
  for (const tool of ['etcdctl', 'aws']) {
    writeFileSync(join(fakes, tool), `#!/bin/sh\necho '${tool} must not run' >&2\nexit 99\n`, { mode: 0o755 });
  }
  const result = spawnSync(join(scripts, name), args, {
    encoding: 'utf8',
    timeout: 20_000,
    env: { PATH: `${fakes}:${process.env['PATH'] ?? ''}`, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the etcd-ops scripts', () => {
  it('start with bash under strict options', () => {
    for (const content of ETCD_OPS_SCRIPTS.values()) {
      expect(content.split('\n').slice(0, 3)).toEqual([
        '#!/usr/bin/env bash',
        expect.stringMatching(/^# /),
        'set -euo pipefail',
      ]);
    }
  });

  itWithTool(SHELLCHECK, 'pass shellcheck', (shellcheck) => {
    const files = [...ETCD_OPS_SCRIPTS.keys()].map((name) => join(scripts, name));
    const result = spawnSync(shellcheck, ['--shell=bash', ...files], { encoding: 'utf8', timeout: 60_000 });
    expect(`${result.stdout}${result.stderr}`).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('etcd-health.sh arguments', () => {
  it('wants exactly three endpoints', () => {
    const result = script(ETCD_HEALTH_SCRIPT_NAME, ['http://127.0.0.1:2379']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage: etcd-health.sh ENDPOINT ENDPOINT ENDPOINT');
  });

  it('refuses an endpoint that is not scheme://host:port', () => {
    const result = script(ETCD_HEALTH_SCRIPT_NAME, ['http://a:1', 'http://b:2', 'http://c:3/"x']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`not an etcd endpoint: 'http://c:3/"x'`);
  });
});

describe('etcd-snapshot.sh arguments', () => {
  const ok = ['http://127.0.0.1:2379', 'kitt-snapshots', 'etcd', 'a'];

  it.each([
    [1, 'Bad_Bucket', "not an S3 bucket name: 'Bad_Bucket'"],
    [2, 'etcd/../x', "not a key prefix: 'etcd/../x'"],
    [2, '/etcd', "not a key prefix: '/etcd'"],
    [3, 'a;b', "not a cell name: 'a;b'"],
  ])('refuses argument %i %j', (index, value, message) => {
    const args = [...ok];
    args[index] = value;
    const result = script(ETCD_SNAPSHOT_SCRIPT_NAME, args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('accepts no upload command other than aws and cp', () => {
    const result = script(ETCD_SNAPSHOT_SCRIPT_NAME, ok, { KITT_SNAPSHOT_UPLOAD: 'rm' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("KITT_SNAPSHOT_UPLOAD must be aws or cp (received 'rm')");
  });

  it('copies only into an existing KITT_SNAPSHOT_DIR', () => {
    const result = script(ETCD_SNAPSHOT_SCRIPT_NAME, ok, { KITT_SNAPSHOT_UPLOAD: 'cp' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('KITT_SNAPSHOT_UPLOAD=cp needs KITT_SNAPSHOT_DIR');
  });
});

describe('etcd-restore.sh arguments', () => {
  function restoreArgs(changes: Record<string, string> = {}): string[] {
    const values: Record<string, string> = {
      '--snapshot': join(dir, 'snapshot.db'),
      '--name': 'etcd-1',
      '--initial-cluster': 'etcd-0=https://10.0.0.10:2380,etcd-1=https://10.0.0.11:2380,etcd-2=https://10.0.0.12:2380',
      '--initial-cluster-token': 'kitt-restored',
      '--initial-advertise-peer-urls': 'https://10.0.0.11:2380',
      '--data-dir': join(dir, 'data'),
      ...changes,
    };
    return Object.entries(values).flat();
  }
  beforeEach(() => writeFileSync(join(dir, 'snapshot.db'), 'not read before the checks pass'));

  it('refuses a data directory that already exists', () => {
    mkdirSync(join(dir, 'data'));
    const result = script(ETCD_RESTORE_SCRIPT_NAME, restoreArgs());
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${join(dir, 'data')} already exists; move it aside first`);
  });

  it('refuses an initial cluster that does not list the member at its peer URL', () => {
    const result = script(
      ETCD_RESTORE_SCRIPT_NAME,
      restoreArgs({ '--initial-advertise-peer-urls': 'https://10.0.0.99:2380' }),
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--initial-cluster does not list etcd-1=https://10.0.0.99:2380');
  });

  it('refuses a missing snapshot file', () => {
    const result = script(ETCD_RESTORE_SCRIPT_NAME, restoreArgs({ '--snapshot': join(dir, 'absent.db') }));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--snapshot: no such file');
  });

  it('refuses an unknown option', () => {
    const result = script(ETCD_RESTORE_SCRIPT_NAME, [...restoreArgs(), '--force', 'yes']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("unknown option '--force'");
  });
});
