import { toYaml } from './yaml-text';
import type { CellBootstrapConfig } from './config';
import { AUTHENTICATOR_KUBECONFIG } from './kubeadm';
import { systemdUnit } from './node-file';

/**
 * API authentication without static secrets: kube-apiserver asks the
 * aws-iam-authenticator on its own controller (a token webhook on
 * 127.0.0.1) who an STS-signed token belongs to. IAM roles map to groups;
 * `kitt:admins` and `kitt:readonly` are bound here, the team groups by the
 * addons layer, which gives each team its namespace.
 */

export const AUTHENTICATOR_CONFIG_PATH = '/etc/aws-iam-authenticator/config.yaml';
const STATE_DIR = '/var/lib/aws-iam-authenticator';

export const ADMIN_GROUP = 'kitt:admins';
export const READ_ONLY_GROUP = 'kitt:readonly';
export function teamGroup(team: string): string {
  return `kitt:team:${team}`;
}

interface RoleMapping {
  readonly roleARN: string;
  readonly username: string;
  readonly groups: string[];
}

/**
 * aws-iam-authenticator matches the caller's role without its IAM path
 * (`role/a/b/Name` is seen as `role/Name`), so a mapped ARN drops its path
 * too, or it would never match.
 */
export function roleArnWithoutPath(arn: string): string {
  return arn.replace(/:role\/(?:.*\/)?([^/]+)$/, ':role/$1');
}

/** One mapping per role; a role in several lists gets every group, and the first list's user name. */
export function roleMappings(config: CellBootstrapConfig): RoleMapping[] {
  const byArn = new Map<string, RoleMapping>();
  const add = (arns: readonly string[], user: string, group: string) => {
    for (const arn of arns.map(roleArnWithoutPath)) {
      const mapping = byArn.get(arn) ?? { roleARN: arn, username: `${user}:{{SessionName}}`, groups: [] };
      if (!mapping.groups.includes(group)) mapping.groups.push(group);
      byArn.set(arn, mapping);
    }
  };
  add(config.adminRoleArns, 'kitt-admin', ADMIN_GROUP);
  add(config.readOnlyRoleArns, 'kitt-readonly', READ_ONLY_GROUP);
  for (const team of config.teams) add(team.roleArns, `kitt-team-${team.name}`, teamGroup(team.name));
  return [...byArn.values()];
}

export function authenticatorConfigFile(config: CellBootstrapConfig): string {
  return toYaml({ clusterID: config.clusterName, server: { mapRoles: roleMappings(config) } });
}

export function authenticatorUnit(config: CellBootstrapConfig): string {
  return systemdUnit({
    Unit: [
      `Description=aws-iam-authenticator: IAM roles to Kubernetes groups for cluster ${config.clusterName}`,
      'Before=kubelet.service',
    ],
    Service: [
      `StateDirectory=${STATE_DIR.replace('/var/lib/', '')}`,
      [
        'ExecStart=/usr/local/bin/aws-iam-authenticator server',
        `--config ${AUTHENTICATOR_CONFIG_PATH}`,
        `--state-dir ${STATE_DIR}`,
        `--generate-kubeconfig ${AUTHENTICATOR_KUBECONFIG}`,
      ].join(' '),
      'Restart=always',
      'RestartSec=5',
    ],
    Install: ['WantedBy=multi-user.target'],
  });
}

/** Bindings of the two cell-wide groups; applied once by the first controller. */
export function groupBindingsFile(): string {
  const binding = (group: string, clusterRole: string) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: group, labels: { 'app.kubernetes.io/managed-by': 'kitt' } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }],
  });
  return [binding(ADMIN_GROUP, 'cluster-admin'), binding(READ_ONLY_GROUP, 'view')]
    .map((doc) => toYaml(doc))
    .join('---\n');
}
