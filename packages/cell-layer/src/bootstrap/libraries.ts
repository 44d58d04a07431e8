import type { CellBootstrapConfig } from './config';
import { bashLibrary, shq } from './shell';

/** Bootstrap tokens as kubeadm makes them. */
export const JOIN_TOKEN_PATTERN = '^[a-z0-9]{6}[.][a-z0-9]{16}$';

/**
 * `lib.sh`, sourced by every script of every role: logging, bounded retries,
 * instance metadata through IMDSv2, checks of values read at boot, and
 * template filling that keeps secrets off command lines. It names no SSM
 * parameter: each role's scripts name their own.
 */
export function commonLibrary(config: CellBootstrapConfig): string {
  return bashLibrary(
    'Functions shared by the kitt boot scripts of every role.',
    String.raw`
export AWS_DEFAULT_REGION=${shq(config.region)}
export AWS_PAGER=''

log() { printf 'kitt: %s\n' "$*" >&2; }

# retry ATTEMPTS DELAY_SECONDS COMMAND...: run COMMAND until it succeeds, at most ATTEMPTS times.
retry() {
  local attempts="$1" delay="$2" attempt=1
  shift 2
  until "$@"; do
    if [ "$attempt" -ge "$attempts" ]; then
      log "gave up after $attempts attempts: $1"
      return 1
    fi
    attempt=$((attempt + 1))
    sleep "$delay"
  done
}

# imds PATH: instance metadata through IMDSv2, a fresh session token per call.
imds() {
  local token
  token="$(curl -fsS -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' http://169.254.169.254/latest/api/token)"
  curl -fsS -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/meta-data/$1"
}

# must_match VALUE REGEX WHAT: refuse a value read at boot that lacks the expected shape (WHAT never holds a secret).
must_match() {
  if [[ ! "$1" =~ $2 ]]; then
    log "unexpected $3"
    return 1
  fi
}

# fill_template SOURCE DEST NAME VALUE...: copy SOURCE to DEST (mode 0600) with each __NAME__ replaced by VALUE.
# Values travel as function arguments, so no secret appears on a command line.
fill_template() {
  local source="$1" dest="$2" text
  text="$(cat "$source")"
  shift 2
  while [ "$#" -ge 2 ]; do
    text="${'$'}{text//"__$1__"/"$2"}"
    shift 2
  done
  (umask 077 && printf '%s\n' "$text" >"$dest")
}

# node_name: the instance's private DNS name, the Kubernetes node name the AWS cloud controller manager expects.
node_name() {
  local name
  name="$(imds local-hostname)"
  must_match "$name" '^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$' "node name '$name'"
  printf '%s\n' "$name"
}

# provider_id: aws:///<zone>/<instance-id>, so the cloud controller manager finds the instance by id.
provider_id() {
  local zone id
  zone="$(imds placement/availability-zone)"
  id="$(imds instance-id)"
  must_match "$zone/$id" '^[a-z0-9-]+/i-[0-9a-f]+$' "zone and instance id '$zone/$id'"
  printf 'aws:///%s/%s\n' "$zone" "$id"
}

# ca_cert_hash CERT: kubeadm's discovery pin, sha256 of the certificate's DER public key.
ca_cert_hash() {
  local digest
  digest="$(openssl x509 -pubkey -noout -in "$1" | openssl pkey -pubin -outform der | sha256sum)"
  printf 'sha256:%s\n' "${'$'}{digest%% *}"
}
`,
  );
}

/**
 * `pki-lib.sh`, sourced by etcd and control-plane scripts (never by workers):
 * SSM reads and writes, certificate authorities and certificates with openssl.
 * Keys go to SSM as SecureStrings under the cell's KMS key, read from files
 * (`file://`), never from arguments.
 */
export function pkiLibrary(config: CellBootstrapConfig): string {
  return bashLibrary(
    'SSM parameters and certificates for etcd and control-plane nodes.',
    String.raw`
readonly KMS_KEY_ID=${shq(config.kmsKeyAlias)}

# ssm_get NAME: a parameter's value on stdout (decrypted when it is a SecureString).
ssm_get() {
  aws ssm get-parameter --name "$1" --with-decryption --query Parameter.Value --output text
}

# ssm_get_to NAME FILE: a parameter's value into FILE (mode 0600), whole or not at all.
ssm_get_to() {
  (umask 077 && ssm_get "$1" >"$2.part") && mv "$2.part" "$2"
}

# ssm_put_secret NAME FILE [--overwrite]: FILE's content as a SecureString under the cell's key.
ssm_put_secret() {
  aws ssm put-parameter --name "$1" --type SecureString --key-id "$KMS_KEY_ID" --value "file://$2" "${'$'}{@:3}" >/dev/null
}

# ssm_put_public NAME FILE: FILE's content (a certificate or public key) as a plain String.
ssm_put_public() {
  aws ssm put-parameter --name "$1" --type String --value "file://$2" >/dev/null
}

# new_key FILE: an RSA key only root can read.
new_key() {
  (umask 077 && openssl genrsa -out "$1" 2048 2>/dev/null)
}

# new_ca KEY CERT COMMON_NAME: a self-signed certificate authority for ten years.
new_ca() {
  local conf
  conf="$(mktemp)"
  printf '%s\n' '[req]' 'distinguished_name = dn' 'x509_extensions = ca' '[dn]' '[ca]' \
    'basicConstraints = critical,CA:TRUE' 'keyUsage = critical,digitalSignature,keyEncipherment,keyCertSign' \
    'subjectKeyIdentifier = hash' >"$conf"
  new_key "$1"
  openssl req -x509 -new -key "$1" -sha256 -days 3650 -subj "/CN=$3" -config "$conf" -out "$2"
  rm -f "$conf"
}

# issue_cert CA_CERT CA_KEY KEY CERT SUBJECT USAGES [SUBJECT_ALT_NAMES]: a key and a five-year certificate signed by the CA.
issue_cert() {
  local work
  work="$(mktemp -d)"
  {
    printf '%s\n' '[leaf]' 'basicConstraints = critical,CA:FALSE' 'keyUsage = critical,digitalSignature,keyEncipherment'
    printf 'extendedKeyUsage = %s\n' "$6"
    if [ -n "${'$'}{7:-}" ]; then printf 'subjectAltName = %s\n' "$7"; fi
  } >"$work/leaf.cnf"
  new_key "$3"
  openssl req -new -key "$3" -subj "$5" -out "$work/leaf.csr"
  openssl x509 -req -in "$work/leaf.csr" -CA "$1" -CAkey "$2" -set_serial "0x$(openssl rand -hex 16)" -sha256 \
    -days 1825 -extfile "$work/leaf.cnf" -extensions leaf -out "$4" 2>/dev/null
  rm -rf "$work"
}
`,
  );
}
