import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleConfig, fileOf, renderNode } from './__fixtures__/example-config';
import { CERT_DAYS_LEFT_SCRIPT, CERT_RENEW_BEFORE_DAYS } from './day-two';

const CHECK_EXPIRATION = readFileSync(join(__dirname, '__fixtures__', 'check-expiration.txt'), 'utf8');
const epoch = (iso: string) => String(Date.parse(iso) / 1000);

/** Runs the check-expiration parser on `input`, as the renewal script does (a pipe into its stdin). */
function daysLeft(input: string, now: string) {
  const dir = mkdtempSync(join(tmpdir(), 'kitt-cert-days-'));
  try {
    const script = join(dir, 'kubeadm-cert-days-left.sh');
    writeFileSync(script, CERT_DAYS_LEFT_SCRIPT, { mode: 0o755 });
    const result = spawnSync(script, [now], { input, encoding: 'utf8', timeout: 20_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the kubeadm check-expiration parser', () => {
  it('names the certificate that expires first and its whole days left, from real check-expiration output', () => {
    expect(daysLeft(CHECK_EXPIRATION, epoch('2026-12-02T06:00:00Z'))).toEqual({
      status: 0,
      stdout: '44 front-proxy-client\n',
      stderr: '',
    });
  });

  it('counts certificate authorities too', () => {
    const caFirst = CHECK_EXPIRATION.replace('Nov 28, 2036 06:21 UTC   9y', 'Dec 20, 2026 06:21 UTC   18d');
    expect(daysLeft(caFirst, epoch('2026-12-02T06:00:00Z')).stdout).toBe('18 ca\n');
  });

  it('reports an expired certificate with a negative count', () => {
    expect(daysLeft(CHECK_EXPIRATION, epoch('2027-01-16T09:03:00Z')).stdout).toBe('-1 front-proxy-client\n');
  });

  it('fails on output without a certificate, so that no metric is published and the alarm sees missing data', () => {
    const result = daysLeft('error execution phase: unable to read config\n', epoch('2026-12-02T06:00:00Z'));
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('no certificate in the input');
  });

  it('reports a missing certificate on stderr and still answers for the others', () => {
    const withMissing = `${CHECK_EXPIRATION.trimEnd()}\n!MISSING! apiserver-etcd-client\n`;
    const result = daysLeft(withMissing, epoch('2026-12-02T06:00:00Z'));
    expect(result.stdout).toBe('44 front-proxy-client\n');
    expect(result.stderr).toContain('apiserver-etcd-client');
  });
});

describe('certificate renewal on the controllers', () => {
  const controller = renderNode('control-plane');
  const renew = fileOf(controller, '/usr/local/lib/kitt/renew-kubeadm-certs.sh');

  it('renews every certificate once the first expires within the renewal window, then restarts the static pods', () => {
    expect(renew).toContain(`readonly RENEW_BEFORE_DAYS=${CERT_RENEW_BEFORE_DAYS}`);
    const renewAt = renew.indexOf('  kubeadm certs renew all\n  restart_static_pods\n');
    expect(renewAt).toBeGreaterThan(renew.indexOf('if [ "${verdict%% *}" -lt "$RENEW_BEFORE_DAYS" ]; then'));
  });

  it('restarts each static pod by moving its manifest out of the kubelet directory and back', () => {
    expect(renew).toContain('for component in kube-apiserver kube-controller-manager kube-scheduler; do');
    expect(renew).toMatch(
      /mv "\$MANIFESTS\/\$component\.yaml" "\$PAUSED\/\$component\.yaml"\n\s+sleep "\$KUBELET_NOTICE_SECONDS"\n\s+mv "\$PAUSED\/\$component\.yaml" "\$MANIFESTS\/\$component\.yaml"/,
    );
    expect(renew).toContain('readonly PAUSED=/etc/kubernetes/manifests-paused');
  });

  it('publishes the days left of the first certificate to expire, per cell', () => {
    expect(renew).toContain(
      `aws cloudwatch put-metric-data --namespace 'kitt' --metric-name 'KubeadmCertificateDaysLeft' --unit None --value "\${verdict%% *}" --dimensions 'Flag=acme-prod-eu-west-1,Cell=a'`,
    );
  });

  it('runs twice a day, spread over six hours so that the controllers restart apart, and starts at boot', () => {
    expect(fileOf(controller, '/etc/systemd/system/kitt-kubeadm-certs.timer')).toContain(
      'OnCalendar=*-*-* 00,12:00:00\nRandomizedDelaySec=6h\nPersistent=true',
    );
    expect(fileOf(controller, '/usr/local/lib/kitt/bootstrap-control-plane.sh')).toContain(
      'systemctl enable --now kitt-join-token.timer kitt-kubeadm-certs.timer',
    );
  });
});

describe('etcd snapshots on the members', () => {
  const member = renderNode('etcd', 2);
  const take = fileOf(member, '/usr/local/lib/kitt/take-etcd-snapshot.sh');

  it('installs the etcd operations scripts beside the boot scripts', () => {
    for (const name of ['etcd-health.sh', 'etcd-snapshot.sh', 'etcd-restore.sh'])
      expect(fileOf(member, `/usr/local/lib/kitt/${name}`)).toMatch(/^#!\/usr\/bin\/env bash\n/);
  });

  it("snapshots through its own member's address into the cell's prefix of the FLAG bucket", () => {
    expect(take).toContain(
      `/usr/local/lib/kitt/etcd-snapshot.sh 'https://10.0.200.12:2379' '${exampleConfig.etcdSnapshotBucket}' 'etcd' 'a'`,
    );
    expect(take).toContain('export ETCDCTL_CERT=/etc/etcd/pki/server.crt');
  });

  it('counts an upload in CloudWatch only when this member took the snapshot', () => {
    expect(take).toMatch(
      /if \[\[ "\$result" == '\{"snapshot":'\* \]\]; then\n\s+aws cloudwatch put-metric-data --namespace 'kitt' --metric-name 'EtcdSnapshotUploaded' --unit Count --value 1 --dimensions 'Flag=acme-prod-eu-west-1,Cell=a'\n/,
    );
  });

  it('fires at the top of every hour on every member, and starts at boot', () => {
    expect(fileOf(member, '/etc/systemd/system/kitt-etcd-snapshot.timer')).toContain(
      'OnCalendar=*-*-* *:00:00\nAccuracySec=1s',
    );
    expect(fileOf(member, '/usr/local/lib/kitt/bootstrap-etcd.sh')).toContain(
      'systemctl enable --now kitt-etcd-snapshot.timer',
    );
  });
});
