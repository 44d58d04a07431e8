import type { CellBootstrapConfig } from './config';
import { KUBEADM_DIR, kubeadmWorkerJoinFile, kubeletPatchFile } from './kubeadm';
import { JOIN_TOKEN_PATTERN } from './libraries';
import { executable, plainFile, type NodeFile } from './node-file';
import { bashScript, scriptPath, shq } from './shell';
import { cellSsmParameters } from './ssm-names';

const JOIN_TEMPLATE = `${KUBEADM_DIR}/join-worker.yaml`;

/**
 * A worker reads two parameters and nothing else: the join token and the
 * cluster CA certificate, from which it computes kubeadm's discovery pin.
 * The names are written out here, not built by a shared helper, so that what
 * a worker may read is visible in its script.
 */
function joinScript(config: CellBootstrapConfig): string {
  const ssm = cellSsmParameters(config.ssmPrefix);
  return bashScript(
    { purpose: 'Join this worker to its cell.', sources: ['lib.sh'] },
    String.raw`
read_join_token() {
  aws ssm get-parameter --name ${shq(ssm.joinToken)} --with-decryption --query Parameter.Value --output text
}
read_cluster_ca() {
  aws ssm get-parameter --name ${shq(ssm.clusterCaCert)} --query Parameter.Value --output text
}

install -d -m 0700 /run/kitt
# Both appear once the first controller is up; wait for them (up to 15 minutes).
token="$(retry 90 10 read_join_token)"
must_match "$token" '${JOIN_TOKEN_PATTERN}' 'join token shape'
cluster_ca="$(retry 90 10 read_cluster_ca)"
printf '%s\n' "$cluster_ca" >/run/kitt/cluster-ca.crt
ca_hash="$(ca_cert_hash /run/kitt/cluster-ca.crt)"
name="$(node_name)"
provider="$(provider_id)"
fill_template ${JOIN_TEMPLATE} /run/kitt/kubeadm-join.yaml NODE_NAME "$name" PROVIDER_ID "$provider" \
  JOIN_TOKEN "$token" CA_CERT_HASH "$ca_hash"
kubeadm join --config /run/kitt/kubeadm-join.yaml
rm -f /run/kitt/kubeadm-join.yaml
`,
  );
}

/** Every file of a worker, beside the shared library. */
export function workerFiles(config: CellBootstrapConfig): NodeFile[] {
  const patch = kubeletPatchFile(config);
  return [
    executable(scriptPath('kubeadm-join-worker.sh'), joinScript(config)),
    plainFile(JOIN_TEMPLATE, kubeadmWorkerJoinFile(config)),
    plainFile(patch.path, patch.content),
  ];
}

/** The command cloud-init runs once on a worker. */
export const WORKER_BOOT_COMMAND = scriptPath('kubeadm-join-worker.sh');
