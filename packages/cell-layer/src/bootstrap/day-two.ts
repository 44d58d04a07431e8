import { CELL_METRICS, ETCD_SNAPSHOT_KEY_ROOT, KITT_METRIC_NAMESPACE } from '@kitt/flag-config';
import { ETCD_OPS_SCRIPTS, ETCD_SNAPSHOT_SCRIPT_NAME } from '../etcd-ops/scripts';
import type { CellBootstrapConfig, EtcdMember } from './config';
import { executable, plainFile, systemdUnit, type NodeFile } from './node-file';
import { bashScript, scriptPath, shq } from './shell';

/**
 * What keeps a cell alive between boots: the etcd members' periodic
 * snapshot (every member's timer fires at the same wall-clock minute; only
 * the leader uploads) and the controllers' certificate renewal. Both
 * publish a CloudWatch metric that the cell stack's alarms watch, so a
 * timer that stops working is noticed as missing data.
 */

/** Every etcd member's snapshot timer fires at the top of each hour: one snapshot per hour from the leader. */
export const ETCD_SNAPSHOT_PERIOD_SECONDS = 3600;
const ETCD_SNAPSHOT_CALENDAR = '*-*-* *:00:00';

/** A controller renews its kubeadm certificates once the first of them has fewer days left than this. */
export const CERT_RENEW_BEFORE_DAYS = 90;
/** The cell stack alarms when a controller reports fewer days than this. */
export const CERT_ALARM_DAYS = 30;
/** The alarm's period: each day holds a check of every controller (twice a day, at most 6 h late). */
export const CERT_ALARM_PERIOD_SECONDS = 86400;

/** etcdctl's TLS, as the member's server certificate is also a client certificate (clientAuth). */
export const ETCD_MEMBER_ETCDCTL_ENV: readonly string[] = [
  'ETCDCTL_CACERT=/etc/etcd/pki/ca.crt',
  'ETCDCTL_CERT=/etc/etcd/pki/server.crt',
  'ETCDCTL_KEY=/etc/etcd/pki/server.key',
];

/** Parses `kubeadm certs check-expiration` text: prints `<days-left> <certificate>` of the first to expire. */
export const CERT_DAYS_LEFT_SCRIPT_NAME = 'kubeadm-cert-days-left.sh';

function putMetric(config: CellBootstrapConfig, metric: string, value: string, unit: string): string {
  return [
    'aws cloudwatch put-metric-data',
    `--namespace ${shq(KITT_METRIC_NAMESPACE)}`,
    `--metric-name ${shq(metric)}`,
    `--unit ${unit}`,
    `--value ${value}`,
    `--dimensions ${shq(`Flag=${config.flagId},Cell=${config.cell}`)}`,
  ].join(' ');
}

function takeSnapshotScript(config: CellBootstrapConfig, member: EtcdMember): string {
  return bashScript(
    {
      purpose: `Snapshot the cell's etcd to s3://${config.etcdSnapshotBucket}/${ETCD_SNAPSHOT_KEY_ROOT}/${config.cell}/ when this member leads; count each upload in CloudWatch.`,
      sources: ['lib.sh'],
    },
    String.raw`
${ETCD_MEMBER_ETCDCTL_ENV.map((assignment) => `export ${assignment}`).join('\n')}
result="$(${scriptPath(ETCD_SNAPSHOT_SCRIPT_NAME)} ${shq(`https://${member.ip}:2379`)} ${shq(config.etcdSnapshotBucket)} ${shq(ETCD_SNAPSHOT_KEY_ROOT)} ${shq(config.cell)})"
printf '%s\n' "$result"
# Only the leader uploads; the others skip, and count nothing.
if [[ "$result" == '{"snapshot":'* ]]; then
  ${putMetric(config, CELL_METRICS.etcdSnapshotUploaded, '1', 'Count')}
fi
`,
  );
}

/** The etcd-ops scripts, the snapshot wrapper and its timer: every etcd member gets them. */
export function etcdDayTwoFiles(config: CellBootstrapConfig, member: EtcdMember): NodeFile[] {
  return [
    ...[...ETCD_OPS_SCRIPTS].map(([name, content]) => executable(scriptPath(name), content)),
    executable(scriptPath('take-etcd-snapshot.sh'), takeSnapshotScript(config, member)),
    plainFile(
      '/etc/systemd/system/kitt-etcd-snapshot.service',
      systemdUnit({
        Unit: [`Description=Snapshot etcd of cell ${config.cell} to S3 when this member leads`, 'After=etcd.service'],
        // Snapshots can be as large as the database: not in a tmpfs /tmp.
        Service: ['Type=oneshot', 'Environment=TMPDIR=/var/tmp', `ExecStart=${scriptPath('take-etcd-snapshot.sh')}`],
      }),
    ),
    plainFile(
      '/etc/systemd/system/kitt-etcd-snapshot.timer',
      systemdUnit({
        Unit: [`Description=Hourly etcd snapshot of cell ${config.cell}`],
        // The same minute on every member, so that exactly one of them (the leader) uploads each period.
        Timer: [`OnCalendar=${ETCD_SNAPSHOT_CALENDAR}`, 'AccuracySec=1s'],
        Install: ['WantedBy=timers.target'],
      }),
    ),
  ];
}

const CERT_DAYS_LEFT_SCRIPT = bashScript(
  {
    purpose:
      'Read `kubeadm certs check-expiration` on stdin; print "<days-left> <name>" of the certificate or CA that expires first (NOW: epoch seconds, default now).',
  },
  String.raw`
now="${'$'}{1:-$(date -u +%s)}"
[[ "$now" =~ ^[0-9]+$ ]] || { printf 'NOW must be epoch seconds (received %s)\n' "$now" >&2; exit 2; }
# Rows of both tables: NAME  Mon DD, YYYY HH:MM ZONE  RESIDUAL ...; the date is what counts, the residual is rounded.
readonly ROW='^([A-Za-z0-9._-]+)[[:space:]]+([A-Z][a-z]{2} [0-9]{1,2}, [0-9]{4} [0-9]{2}:[0-9]{2} [A-Z]{3,5})([[:space:]]|$)'
earliest=''
earliest_name=''
while IFS= read -r line || [ -n "$line" ]; do
  if [[ "$line" =~ $ROW ]]; then
    name="${'$'}{BASH_REMATCH[1]}"
    expires="$(date -u -d "${'$'}{BASH_REMATCH[2]}" +%s)"
    if [ -z "$earliest" ] || [ "$expires" -lt "$earliest" ]; then
      earliest="$expires"
      earliest_name="$name"
    fi
  elif [[ "$line" == '!MISSING!'* ]]; then
    printf 'kubeadm reports a missing certificate: %s\n' "$line" >&2
  fi
done
if [ -z "$earliest" ]; then
  printf 'no certificate in the input: not kubeadm certs check-expiration output\n' >&2
  exit 1
fi
seconds=$((earliest - now))
# Whole days, rounded down: an expired certificate shows a negative count.
if [ "$seconds" -ge 0 ]; then days=$((seconds / 86400)); else days=$((-((-seconds + 86399) / 86400))); fi
printf '%s %s\n' "$days" "$earliest_name"
`,
);

function renewCertsScript(config: CellBootstrapConfig): string {
  return bashScript(
    {
      purpose: `Renew the kubeadm certificates when the first expires within ${CERT_RENEW_BEFORE_DAYS} days, restart the static pods, publish the days left.`,
      sources: ['lib.sh'],
    },
    String.raw`
readonly RENEW_BEFORE_DAYS=${CERT_RENEW_BEFORE_DAYS}
readonly MANIFESTS=/etc/kubernetes/manifests
# Outside the manifests directory, which the kubelet watches.
readonly PAUSED=/etc/kubernetes/manifests-paused
# kubelet's fileCheckFrequency is 20 s: a manifest that is gone this long has its pod stopped.
readonly KUBELET_NOTICE_SECONDS=25

days_left() {
  local verdict
  verdict="$(kubeadm certs check-expiration | ${scriptPath(CERT_DAYS_LEFT_SCRIPT_NAME)})"
  must_match "$verdict" '^-?[0-9]+ [A-Za-z0-9._-]+$' "check-expiration verdict '$verdict'"
  printf '%s\n' "$verdict"
}

# Certificates are read at start: each static pod restarts, one at a time, as kubeadm's documentation says.
restart_static_pods() {
  install -d -m 0700 "$PAUSED"
  local component
  for component in kube-apiserver kube-controller-manager kube-scheduler; do
    mv "$MANIFESTS/$component.yaml" "$PAUSED/$component.yaml"
    sleep "$KUBELET_NOTICE_SECONDS"
    mv "$PAUSED/$component.yaml" "$MANIFESTS/$component.yaml"
    sleep "$KUBELET_NOTICE_SECONDS"
  done
  retry 60 5 curl -fsSk -o /dev/null https://127.0.0.1:6443/livez
}

verdict="$(days_left)"
if [ "${'$'}{verdict%% *}" -lt "$RENEW_BEFORE_DAYS" ]; then
  log "renewing the kubeadm certificates: $verdict day(s) left on the first to expire"
  kubeadm certs renew all
  restart_static_pods
  verdict="$(days_left)"
fi
log "kubeadm certificates: ${'$'}{verdict#* } expires first, in ${'$'}{verdict%% *} day(s)"
${putMetric(config, CELL_METRICS.kubeadmCertificateDaysLeft, '"${verdict%% *}"', 'None')}
`,
  );
}

/** The controllers' certificate renewal and its timer (twice a day, spread so that controllers restart apart). */
export function controlPlaneDayTwoFiles(config: CellBootstrapConfig): NodeFile[] {
  return [
    executable(scriptPath(CERT_DAYS_LEFT_SCRIPT_NAME), CERT_DAYS_LEFT_SCRIPT),
    executable(scriptPath('renew-kubeadm-certs.sh'), renewCertsScript(config)),
    plainFile(
      '/etc/systemd/system/kitt-kubeadm-certs.service',
      systemdUnit({
        Unit: [
          `Description=Renew the kubeadm certificates of cell ${config.cell} before they expire`,
          'After=kubelet.service',
        ],
        Service: ['Type=oneshot', `ExecStart=${scriptPath('renew-kubeadm-certs.sh')}`],
      }),
    ),
    plainFile(
      '/etc/systemd/system/kitt-kubeadm-certs.timer',
      systemdUnit({
        Unit: [`Description=Check the kubeadm certificates of cell ${config.cell} twice a day`],
        Timer: ['OnCalendar=*-*-* 00,12:00:00', 'RandomizedDelaySec=6h', 'Persistent=true'],
        Install: ['WantedBy=timers.target'],
      }),
    ),
  ];
}

/** The parser alone, for tests that feed it real `kubeadm certs check-expiration` output. */
export { CERT_DAYS_LEFT_SCRIPT };
