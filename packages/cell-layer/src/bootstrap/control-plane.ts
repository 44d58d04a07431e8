import type { CellBootstrapConfig } from './config';
import {
  authenticatorConfigFile,
  authenticatorUnit,
  AUTHENTICATOR_CONFIG_PATH,
  groupBindingsFile,
} from './iam-authenticator';
import {
  AUTHENTICATOR_KUBECONFIG,
  AUTHENTICATOR_KUBECONFIG_DIR,
  etcdEndpoints,
  KUBEADM_DIR,
  kubeadmControlPlaneJoinFile,
  kubeadmInitFile,
  kubeletPatchFile,
} from './kubeadm';
import { controlPlaneDayTwoFiles } from './day-two';
import { JOIN_TOKEN_PATTERN } from './libraries';
import { executable, plainFile, systemdUnit, type NodeFile } from './node-file';
import { bashArray, bashScript, scriptPath, shq } from './shell';
import { cellSsmParameters } from './ssm-names';

const PKI = '/etc/kubernetes/pki';
const ADMIN_KUBECONFIG = '/etc/kubernetes/admin.conf';
const INIT_TEMPLATE = `${KUBEADM_DIR}/init.yaml`;
const JOIN_TEMPLATE = `${KUBEADM_DIR}/join-control-plane.yaml`;
const GROUP_BINDINGS = '/etc/kitt/group-bindings.yaml';
/** Bootstrap tokens live two hours and are renewed every hour, so a valid one is always in SSM. */
export const JOIN_TOKEN_TTL = '2h';
export const JOIN_TOKEN_ROTATION = '1h';

/**
 * Controllers reach the API through their own API server: the API name
 * resolves to 127.0.0.1 on them once theirs runs. An NLB does not hairpin a
 * packet back to the instance that sent it, and the first controller must not
 * wait for the NLB to find it healthy.
 */
function pinApiLocally(config: CellBootstrapConfig): string {
  return String.raw`
readonly API_HOST=${shq(config.apiEndpoint)}
if ! grep -qxF "127.0.0.1 $API_HOST" /etc/hosts; then
  printf '127.0.0.1 %s\n' "$API_HOST" >>/etc/hosts
fi`;
}

function lockScript(config: CellBootstrapConfig): string {
  const ssm = cellSsmParameters(config.ssmPrefix);
  return bashScript(
    { purpose: 'Race for the PKI lock; print "won" or "lost".', sources: ['lib.sh', 'pki-lib.sh'] },
    String.raw`
readonly LOCK=${shq(ssm.pkiLock)}
instance_id="$(imds instance-id)"
# Without --overwrite exactly one put-parameter succeeds; the winner's instance id is the lock's value.
if error="$(aws ssm put-parameter --name "$LOCK" --type String --value "$instance_id" 2>&1 >/dev/null)"; then
  echo won
elif [[ "$error" == *ParameterAlreadyExists* ]]; then
  if [ "$(ssm_get "$LOCK")" = "$instance_id" ]; then echo won; else echo lost; fi
else
  log "could not take the PKI lock: $error"
  exit 1
fi
`,
  );
}

function createPkiScript(config: CellBootstrapConfig): string {
  const ssm = cellSsmParameters(config.ssmPrefix);
  return bashScript(
    {
      purpose: "Create the cell's CAs and service account key; publish them in SSM.",
      sources: ['lib.sh', 'pki-lib.sh'],
    },
    String.raw`
readonly PKI=${PKI}
install -d -m 0700 "$PKI" "$PKI/etcd"
new_ca "$PKI/etcd/ca.key" "$PKI/etcd/ca.crt" etcd-ca
new_ca "$PKI/front-proxy-ca.key" "$PKI/front-proxy-ca.crt" front-proxy-ca
new_ca "$PKI/ca.key" "$PKI/ca.crt" kubernetes
new_key "$PKI/sa.key"
openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null

# Each key before its certificate, and the cluster CA certificate last: its presence means all is there.
ssm_put_secret ${shq(ssm.etcdCaKey)} "$PKI/etcd/ca.key"
ssm_put_public ${shq(ssm.etcdCaCert)} "$PKI/etcd/ca.crt"
ssm_put_secret ${shq(ssm.frontProxyCaKey)} "$PKI/front-proxy-ca.key"
ssm_put_public ${shq(ssm.frontProxyCaCert)} "$PKI/front-proxy-ca.crt"
ssm_put_secret ${shq(ssm.serviceAccountKey)} "$PKI/sa.key"
ssm_put_public ${shq(ssm.serviceAccountPublicKey)} "$PKI/sa.pub"
ssm_put_secret ${shq(ssm.clusterCaKey)} "$PKI/ca.key"
ssm_put_public ${shq(ssm.clusterCaCert)} "$PKI/ca.crt"
`,
  );
}

function fetchPkiScript(config: CellBootstrapConfig): string {
  const ssm = cellSsmParameters(config.ssmPrefix);
  const files: [string, string][] = [
    [ssm.clusterCaKey, 'ca.key'],
    [ssm.etcdCaCert, 'etcd/ca.crt'],
    [ssm.etcdCaKey, 'etcd/ca.key'],
    [ssm.frontProxyCaCert, 'front-proxy-ca.crt'],
    [ssm.frontProxyCaKey, 'front-proxy-ca.key'],
    [ssm.serviceAccountPublicKey, 'sa.pub'],
    [ssm.serviceAccountKey, 'sa.key'],
  ];
  return bashScript(
    {
      purpose: "Fetch the cell's CAs and service account key that the first controller published.",
      sources: ['lib.sh', 'pki-lib.sh'],
    },
    String.raw`
readonly PKI=${PKI}
install -d -m 0700 "$PKI" "$PKI/etcd"
# The cluster CA certificate is published last; wait for it (up to 15 minutes), then read the rest.
retry 90 10 ssm_get_to ${shq(ssm.clusterCaCert)} "$PKI/ca.crt"
${files.map(([name, file]) => `retry 6 10 ssm_get_to ${shq(name)} "$PKI/${file}"`).join('\n')}
`,
  );
}

function etcdClientCertScript(): string {
  return bashScript(
    {
      purpose: "Issue this controller's etcd client certificate; then drop the etcd CA key.",
      sources: ['lib.sh', 'pki-lib.sh'],
    },
    String.raw`
readonly PKI=${PKI}
issue_cert "$PKI/etcd/ca.crt" "$PKI/etcd/ca.key" "$PKI/apiserver-etcd-client.key" "$PKI/apiserver-etcd-client.crt" \
  '/O=system:masters/CN=kube-apiserver-etcd-client' clientAuth
rm -f "$PKI/etcd/ca.key"
`,
  );
}

function initScript(config: CellBootstrapConfig): string {
  return bashScript(
    {
      purpose: 'Initialise the cluster on the first controller (external etcd, no CoreDNS: the addons layer owns DNS).',
      sources: ['lib.sh'],
    },
    String.raw`
readonly ETCD_ENDPOINTS=${bashArray(etcdEndpoints(config))}
readonly PKI=${PKI}

# One healthy member answers only when the members have a quorum.
etcd_healthy() {
  local endpoint
  for endpoint in "${'$'}{ETCD_ENDPOINTS[@]}"; do
    if curl -fsS --cacert "$PKI/etcd/ca.crt" --cert "$PKI/apiserver-etcd-client.crt" \
      --key "$PKI/apiserver-etcd-client.key" "$endpoint/health" | grep -q '"health":"true"'; then
      return 0
    fi
  done
  return 1
}
retry 90 10 etcd_healthy
${pinApiLocally(config)}

name="$(node_name)"
provider="$(provider_id)"
fill_template ${INIT_TEMPLATE} /run/kitt/kubeadm-init.yaml NODE_NAME "$name" PROVIDER_ID "$provider"
kubeadm init --config /run/kitt/kubeadm-init.yaml --skip-phases=addon/coredns --skip-token-print
kubectl --kubeconfig ${ADMIN_KUBECONFIG} apply -f ${GROUP_BINDINGS}
`,
  );
}

function joinScript(config: CellBootstrapConfig): string {
  const ssm = cellSsmParameters(config.ssmPrefix);
  return bashScript(
    { purpose: 'Join this controller to the control plane of its cell.', sources: ['lib.sh', 'pki-lib.sh'] },
    String.raw`
# The first controller publishes a join token after its init; wait for it (up to 15 minutes).
token="$(retry 90 10 ssm_get ${shq(ssm.joinToken)})"
must_match "$token" '${JOIN_TOKEN_PATTERN}' 'join token shape'
name="$(node_name)"
provider="$(provider_id)"
ca_hash="$(ca_cert_hash ${PKI}/ca.crt)"
fill_template ${JOIN_TEMPLATE} /run/kitt/kubeadm-join.yaml NODE_NAME "$name" PROVIDER_ID "$provider" \
  JOIN_TOKEN "$token" CA_CERT_HASH "$ca_hash"
kubeadm join --config /run/kitt/kubeadm-join.yaml
rm -f /run/kitt/kubeadm-join.yaml
${pinApiLocally(config)}
`,
  );
}

function rotateTokenScript(config: CellBootstrapConfig): string {
  const ssm = cellSsmParameters(config.ssmPrefix);
  return bashScript(
    { purpose: `Publish a new worker join token (TTL ${JOIN_TOKEN_TTL}) in SSM.`, sources: ['lib.sh', 'pki-lib.sh'] },
    String.raw`
install -d -m 0700 /run/kitt
token="$(kubeadm token create --ttl ${JOIN_TOKEN_TTL} --kubeconfig ${ADMIN_KUBECONFIG})"
must_match "$token" '${JOIN_TOKEN_PATTERN}' 'token from kubeadm token create'
(umask 077 && printf '%s' "$token" >/run/kitt/join-token)
ssm_put_secret ${shq(ssm.joinToken)} /run/kitt/join-token --overwrite
rm -f /run/kitt/join-token
`,
  );
}

function bootstrapScript(): string {
  return bashScript(
    {
      purpose: 'Boot a controller: PKI (create or fetch), IAM authentication, then kubeadm init or join.',
      sources: ['lib.sh'],
    },
    String.raw`
install -d -m 0700 /run/kitt
install -d -m 0755 ${AUTHENTICATOR_KUBECONFIG_DIR}
systemctl daemon-reload
outcome="$(${scriptPath('take-pki-lock.sh')})"
if [ "$outcome" = won ]; then
  ${scriptPath('create-cluster-pki.sh')}
else
  ${scriptPath('fetch-cluster-pki.sh')}
fi
${scriptPath('issue-etcd-client-cert.sh')}

# kube-apiserver does not start without its token webhook's kubeconfig, which the authenticator writes.
systemctl enable --now aws-iam-authenticator.service
retry 60 2 test -s ${AUTHENTICATOR_KUBECONFIG}

if [ "$outcome" = won ]; then
  ${scriptPath('kubeadm-init.sh')}
  ${scriptPath('rotate-join-token.sh')}
else
  ${scriptPath('kubeadm-join-control-plane.sh')}
fi
systemctl enable --now kitt-join-token.timer kitt-kubeadm-certs.timer
`,
  );
}

/** Every file of a controller, beside the shared libraries. */
export function controlPlaneFiles(config: CellBootstrapConfig): NodeFile[] {
  const patch = kubeletPatchFile(config);
  return [
    executable(scriptPath('take-pki-lock.sh'), lockScript(config)),
    executable(scriptPath('create-cluster-pki.sh'), createPkiScript(config)),
    executable(scriptPath('fetch-cluster-pki.sh'), fetchPkiScript(config)),
    executable(scriptPath('issue-etcd-client-cert.sh'), etcdClientCertScript()),
    executable(scriptPath('kubeadm-init.sh'), initScript(config)),
    executable(scriptPath('kubeadm-join-control-plane.sh'), joinScript(config)),
    executable(scriptPath('rotate-join-token.sh'), rotateTokenScript(config)),
    executable(scriptPath('bootstrap-control-plane.sh'), bootstrapScript()),
    ...controlPlaneDayTwoFiles(config),
    plainFile(INIT_TEMPLATE, kubeadmInitFile(config)),
    plainFile(JOIN_TEMPLATE, kubeadmControlPlaneJoinFile(config)),
    plainFile(patch.path, patch.content),
    plainFile(AUTHENTICATOR_CONFIG_PATH, authenticatorConfigFile(config)),
    plainFile(GROUP_BINDINGS, groupBindingsFile()),
    plainFile('/etc/systemd/system/aws-iam-authenticator.service', authenticatorUnit(config)),
    plainFile(
      '/etc/systemd/system/kitt-join-token.service',
      systemdUnit({
        Unit: [`Description=Publish a new worker join token of cell ${config.cell}`, 'After=kubelet.service'],
        Service: ['Type=oneshot', `ExecStart=${scriptPath('rotate-join-token.sh')}`],
      }),
    ),
    plainFile(
      '/etc/systemd/system/kitt-join-token.timer',
      systemdUnit({
        Unit: [`Description=Renew the worker join token of cell ${config.cell} before its ${JOIN_TOKEN_TTL} TTL`],
        Timer: ['OnBootSec=2min', `OnUnitActiveSec=${JOIN_TOKEN_ROTATION}`, 'AccuracySec=1min'],
        Install: ['WantedBy=timers.target'],
      }),
    ),
  ];
}

/** The command cloud-init runs once on a controller. */
export const CONTROL_PLANE_BOOT_COMMAND = scriptPath('bootstrap-control-plane.sh');
