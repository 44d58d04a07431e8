import { bashScript } from '../bootstrap/shell';

/**
 * Scripts that run on the etcd members over the cell's life: the health
 * check `kitt roll` waits on, the snapshot the timer takes, and one member's
 * part of a restore. They hold no configuration: every value arrives as an
 * argument and is checked against a strict pattern before use. TLS comes
 * from etcdctl's own environment (`ETCDCTL_CACERT`, `ETCDCTL_CERT`,
 * `ETCDCTL_KEY`), so the same scripts run against plain HTTP in tests.
 */

export const ETCD_HEALTH_SCRIPT_NAME = 'etcd-health.sh';
export const ETCD_SNAPSHOT_SCRIPT_NAME = 'etcd-snapshot.sh';
export const ETCD_RESTORE_SCRIPT_NAME = 'etcd-restore.sh';

/** An etcd client URL: scheme, host name or IPv4 address, port; nothing that needs quoting in JSON or shell. */
const ENDPOINT_CHECK = String.raw`
readonly ENDPOINT_PATTERN='^https?://[A-Za-z0-9.-]+:[0-9]{1,5}$'
export ETCDCTL_API=3
# Bounded: an unreachable member must not hold the caller for long.
readonly TIMEOUTS=(--dial-timeout=2s --command-timeout=3s)

fail_usage() {
  printf '%s: %s\n' "$(basename "$0")" "$*" >&2
  exit 2
}
check_endpoint() {
  [[ "$1" =~ $ENDPOINT_PATTERN ]] || fail_usage "not an etcd endpoint: '$1' (expected http(s)://host:port)"
}
# is_leader ENDPOINT: prints true or false, as the member itself reports it.
is_leader() {
  local status
  status="$(etcdctl "${'$'}{TIMEOUTS[@]}" --endpoints="$1" endpoint status -w simple)" || return 1
  printf '%s\n' "$status" | awk -F', ' 'NR == 1 { print $5 }'
}
`.trim();

export const ETCD_HEALTH_SCRIPT = bashScript(
  {
    purpose:
      'Exit 0 only when all three etcd members are healthy, one of them leads and the member list has three started members; print a one-line JSON verdict.',
  },
  String.raw`
${ENDPOINT_CHECK}

[ "$#" -eq 3 ] || fail_usage 'usage: etcd-health.sh ENDPOINT ENDPOINT ENDPOINT'
for endpoint in "$@"; do check_endpoint "$endpoint"; done

unhealthy=()
leaders=0
for endpoint in "$@"; do
  # endpoint health commits a read through raft: a member without quorum fails it.
  if ! etcdctl "${'$'}{TIMEOUTS[@]}" --endpoints="$endpoint" endpoint health >/dev/null 2>&1; then
    unhealthy+=("$endpoint")
    continue
  fi
  if ! leading="$(is_leader "$endpoint" 2>/dev/null)"; then
    unhealthy+=("$endpoint")
    continue
  fi
  if [ "$leading" = true ]; then leaders=$((leaders + 1)); fi
done

members=0
started=0
all_endpoints="$1,$2,$3"
if list="$(etcdctl "${'$'}{TIMEOUTS[@]}" --endpoints="$all_endpoints" member list -w simple 2>/dev/null)"; then
  members="$(printf '%s\n' "$list" | grep -c . || true)"
  started="$(printf '%s\n' "$list" | grep -c '^[0-9a-f]*, started, ' || true)"
fi

unhealthy_json=''
for endpoint in "${'$'}{unhealthy[@]}"; do unhealthy_json="$unhealthy_json${'$'}{unhealthy_json:+,}\"$endpoint\""; done
healthy=false
if [ "${'$'}{#unhealthy[@]}" -eq 0 ] && [ "$leaders" -eq 1 ] && [ "$members" -eq 3 ] && [ "$started" -eq 3 ]; then
  healthy=true
fi
printf '{"healthy":%s,"leaders":%s,"members":%s,"startedMembers":%s,"unhealthy":[%s]}\n' \
  "$healthy" "$leaders" "$members" "$started" "$unhealthy_json"
if [ "$healthy" != true ]; then
  printf 'etcd is not healthy: unhealthy endpoints: %s; leaders: %s (expected 1); members: %s, started: %s (expected 3)\n' \
    "${'$'}{unhealthy[*]:-none}" "$leaders" "$members" "$started" >&2
  exit 1
fi
`,
);

export const ETCD_SNAPSHOT_SCRIPT = bashScript(
  {
    purpose:
      'Snapshot etcd to s3://BUCKET/PREFIX/CELL/<timestamp>.db when this member leads; any other member skips and exits 0.',
  },
  String.raw`
${ENDPOINT_CHECK}

[ "$#" -eq 4 ] || fail_usage 'usage: etcd-snapshot.sh ENDPOINT BUCKET PREFIX CELL'
readonly ENDPOINT="$1" BUCKET="$2" PREFIX="$3" CELL="$4"
check_endpoint "$ENDPOINT"
[[ "$BUCKET" =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]] || fail_usage "not an S3 bucket name: '$BUCKET'"
# Each segment starts with a letter or digit, so no segment is '.' or '..'.
[[ "$PREFIX" =~ ^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*$ ]] || fail_usage "not a key prefix: '$PREFIX'"
[[ "$CELL" =~ ^[a-z][a-z0-9]{0,7}$ ]] || fail_usage "not a cell name: '$CELL'"
# Production uploads with the AWS CLI; tests copy under KITT_SNAPSHOT_DIR/<bucket>/ instead. Nothing else is accepted.
readonly UPLOAD="${'$'}{KITT_SNAPSHOT_UPLOAD:-aws}"
case "$UPLOAD" in
  aws) ;;
  cp) [ -d "${'$'}{KITT_SNAPSHOT_DIR:-}" ] || fail_usage "KITT_SNAPSHOT_UPLOAD=cp needs KITT_SNAPSHOT_DIR, an existing directory" ;;
  *) fail_usage "KITT_SNAPSHOT_UPLOAD must be aws or cp (received '$UPLOAD')" ;;
esac

# Every member's timer runs this; only the leader's snapshot is kept, so the cell gets one per period.
leading="$(is_leader "$ENDPOINT")"
if [ "$leading" != true ]; then
  printf '{"skipped":true,"reason":"not the leader","endpoint":"%s"}\n' "$ENDPOINT"
  exit 0
fi

workdir="$(mktemp -d "${'$'}{TMPDIR:-/tmp}/kitt-etcd-snapshot.XXXXXX")"
trap 'rm -rf "$workdir"' EXIT
snapshot="$workdir/snapshot.db"
etcdctl --dial-timeout=2s --endpoints="$ENDPOINT" snapshot save "$snapshot" >&2
# A snapshot that etcdctl cannot read back is never uploaded.
status="$(etcdctl snapshot status "$snapshot" -w simple)"
revision="$(printf '%s\n' "$status" | awk -F', ' 'NR == 1 { print $2 }')"
[[ "$revision" =~ ^[0-9]+$ ]] || { printf 'snapshot status unreadable: %s\n' "$status" >&2; exit 1; }

key="$PREFIX/$CELL/$(date -u +%Y%m%dT%H%M%SZ).db"
if [ "$UPLOAD" = aws ]; then
  aws s3 cp --only-show-errors "$snapshot" "s3://$BUCKET/$key"
else
  install -d "$KITT_SNAPSHOT_DIR/$BUCKET/$PREFIX/$CELL"
  cp "$snapshot" "$KITT_SNAPSHOT_DIR/$BUCKET/$key"
fi
printf '{"snapshot":"s3://%s/%s","revision":%s,"endpoint":"%s"}\n' "$BUCKET" "$key" "$revision" "$ENDPOINT"
`,
);

export const ETCD_RESTORE_SCRIPT = bashScript(
  {
    purpose:
      "Restore one etcd member's data directory from a snapshot file, as a member of a new cluster (etcd must be stopped).",
  },
  String.raw`
export ETCDCTL_API=3
fail_usage() {
  printf '%s: %s\n' "$(basename "$0")" "$*" >&2
  exit 2
}
readonly USAGE='usage: etcd-restore.sh --snapshot FILE --name NAME --initial-cluster NAME=URL,... --initial-cluster-token TOKEN --initial-advertise-peer-urls URL --data-dir DIR'

snapshot='' name='' initial_cluster='' token='' peer_url='' data_dir=''
while [ "$#" -gt 0 ]; do
  [ "$#" -ge 2 ] || fail_usage "$USAGE"
  case "$1" in
    --snapshot) snapshot="$2" ;;
    --name) name="$2" ;;
    --initial-cluster) initial_cluster="$2" ;;
    --initial-cluster-token) token="$2" ;;
    --initial-advertise-peer-urls) peer_url="$2" ;;
    --data-dir) data_dir="$2" ;;
    *) fail_usage "unknown option '$1'; $USAGE" ;;
  esac
  shift 2
done

readonly NAME_PATTERN='[a-z0-9][a-z0-9-]{0,62}'
readonly URL_PATTERN='https?://[A-Za-z0-9.-]+:[0-9]{1,5}'
[[ "$name" =~ ^$NAME_PATTERN$ ]] || fail_usage "--name: not a member name: '$name'"
[[ "$peer_url" =~ ^$URL_PATTERN$ ]] || fail_usage "--initial-advertise-peer-urls: not a peer URL: '$peer_url'"
[[ "$initial_cluster" =~ ^$NAME_PATTERN=$URL_PATTERN(,$NAME_PATTERN=$URL_PATTERN)*$ ]] ||
  fail_usage "--initial-cluster: expected NAME=URL,... (received '$initial_cluster')"
[[ ",$initial_cluster," == *",$name=$peer_url,"* ]] ||
  fail_usage "--initial-cluster does not list $name=$peer_url"
[[ "$token" =~ ^[A-Za-z0-9._-]{1,128}$ ]] || fail_usage "--initial-cluster-token: not a token: '$token'"
[[ "$data_dir" =~ ^/[A-Za-z0-9._/-]+$ ]] || fail_usage "--data-dir: not an absolute path: '$data_dir'"
[ -f "$snapshot" ] || fail_usage "--snapshot: no such file: '$snapshot'"
# A restore writes a fresh data directory; an old one is set aside by the caller, never overwritten here.
if [ -e "$data_dir" ]; then
  printf '%s: %s already exists; move it aside first\n' "$(basename "$0")" "$data_dir" >&2
  exit 1
fi

etcdctl snapshot status "$snapshot" -w simple >/dev/null
etcdctl snapshot restore "$snapshot" --name "$name" --initial-cluster "$initial_cluster" \
  --initial-cluster-token "$token" --initial-advertise-peer-urls "$peer_url" --data-dir "$data_dir" >&2
printf '{"restored":true,"name":"%s","dataDir":"%s"}\n' "$name" "$data_dir"
`,
);

/** The three scripts by file name, to be installed side by side (the restore plan calls them there). */
export const ETCD_OPS_SCRIPTS: ReadonlyMap<string, string> = new Map([
  [ETCD_HEALTH_SCRIPT_NAME, ETCD_HEALTH_SCRIPT],
  [ETCD_SNAPSHOT_SCRIPT_NAME, ETCD_SNAPSHOT_SCRIPT],
  [ETCD_RESTORE_SCRIPT_NAME, ETCD_RESTORE_SCRIPT],
]);
