import { toYaml } from './yaml-text';
import { selectEtcdMember, validateBootstrapConfig, type CellBootstrapConfig, type NodeRole } from './config';
import { CONTROL_PLANE_BOOT_COMMAND, controlPlaneFiles } from './control-plane';
import { ETCD_BOOT_COMMAND, etcdFiles } from './etcd';
import { commonLibrary, pkiLibrary } from './libraries';
import { executable, type NodeFile } from './node-file';
import { scriptPath } from './shell';
import { WORKER_BOOT_COMMAND, workerFiles } from './worker';

/**
 * What the AMI must bring; the user data installs nothing. Written into the
 * user data's header so that whoever reads it on a node knows.
 */
export const AMI_ASSUMPTIONS = [
  'containerd, configured for the systemd cgroup driver',
  'kubeadm, kubelet and kubectl of the cell kubernetesVersion (kubelet enabled)',
  'AWS CLI v2 as aws, curl, openssl, jq',
  'etcd at /usr/local/bin/etcd and aws-iam-authenticator at /usr/local/bin/aws-iam-authenticator',
  'kubeadm prerequisites: swap off, br_netfilter loaded, net.ipv4.ip_forward=1',
] as const;

/** Every file a node of this role gets, libraries first. */
export function nodeFiles(role: NodeRole, config: CellBootstrapConfig, etcdMemberIndex?: number): NodeFile[] {
  validateBootstrapConfig(config);
  const member = selectEtcdMember(role, config, etcdMemberIndex);
  const common = executable(scriptPath('lib.sh'), commonLibrary(config));
  const pki = executable(scriptPath('pki-lib.sh'), pkiLibrary(config));
  if (role === 'worker') return [common, ...workerFiles(config)];
  if (role === 'control-plane') return [common, pki, ...controlPlaneFiles(config)];
  // selectEtcdMember returns a member exactly when the role is etcd.
  return [common, pki, ...etcdFiles(config, member as NonNullable<typeof member>)];
}

const BOOT_COMMAND: Record<NodeRole, string> = {
  etcd: ETCD_BOOT_COMMAND,
  'control-plane': CONTROL_PLANE_BOOT_COMMAND,
  worker: WORKER_BOOT_COMMAND,
};

/**
 * The `#cloud-config` user data of a node of `role` (etcd members also need
 * `etcdMemberIndex`). Throws `BootstrapConfigError` for a configuration that
 * does not pass validation. Holds no secret: keys and tokens are made on the
 * nodes and travel through SSM SecureStrings.
 */
export function renderUserData(role: NodeRole, config: CellBootstrapConfig, etcdMemberIndex?: number): string {
  const files = nodeFiles(role, config, etcdMemberIndex);
  const cloudConfig = {
    // Controllers point the API name at themselves in /etc/hosts; cloud-init must not rewrite that file.
    ...(role === 'control-plane' ? { manage_etc_hosts: false } : {}),
    write_files: files.map((file) => ({
      path: file.path,
      owner: 'root:root',
      permissions: file.permissions,
      content: file.content,
    })),
    runcmd: [[BOOT_COMMAND[role]]],
  };
  const header = [
    '#cloud-config',
    `# kitt ${role} node of cell ${config.cell} of ${config.flagId}; no secret is in this file.`,
    '# The AMI brings:',
    ...AMI_ASSUMPTIONS.map((line) => `#   ${line}`),
  ];
  return `${header.join('\n')}\n${toYaml(cloudConfig)}`;
}
