import { MANAGED_BY } from '@kitt/flag-config';
import { READ_ONLY_GROUP, teamGroup } from '@kitt/cell-layer';
import type { ResolvedTeam } from './config';

/**
 * The Kubernetes objects the stack makes itself (charts make the rest), as
 * plain API objects: tests validate exactly these against Kubernetes' own
 * schemas, and the stack hands them to `kubernetes_manifest` unchanged.
 */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly [field: string]: unknown;
}

/** An object of the stack and the construct id of its `kubernetes_manifest` (a contract: a new id replaces the object). */
export interface StackObject {
  readonly id: string;
  readonly object: KubernetesObject;
}

const MANAGED = { 'app.kubernetes.io/managed-by': MANAGED_BY } as const;

/** The default StorageClass name: EBS gp3, encrypted. */
export const DEFAULT_STORAGE_CLASS = 'gp3-encrypted';

/** Every container of a team that sets no resources gets these (a quota on requests needs them). */
export const TEAM_CONTAINER_DEFAULTS = {
  defaultRequest: { cpu: '100m', memory: '128Mi' },
  default: { memory: '512Mi' },
} as const;

/** The cell's default StorageClass: gp3 volumes of the EBS CSI driver, encrypted, bound where the pod lands. */
export function defaultStorageClass(): StackObject {
  return {
    id: 'storage-class-default',
    object: {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: {
        name: DEFAULT_STORAGE_CLASS,
        labels: MANAGED,
        annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
      },
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', encrypted: 'true' },
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    },
  };
}

/**
 * What a plan of this stack reads beyond ClusterRole `view`, for the plan
 * role's group (`kitt:readonly`, bound to `view` by the cell layer): the
 * StorageClass and the teams' RoleBindings it manages. Reads only; never
 * Secrets (release records are ConfigMaps, see the Helm provider).
 */
export function planReaderObjects(): StackObject[] {
  const name = 'kitt:addons-plan-reader';
  return [
    {
      id: 'plan-reader-role',
      object: {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name, labels: MANAGED },
        rules: [
          { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: ['get', 'list', 'watch'] },
          {
            apiGroups: ['rbac.authorization.k8s.io'],
            resources: ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'],
            verbs: ['get', 'list', 'watch'],
          },
        ],
      },
    },
    {
      id: 'plan-reader-binding',
      object: {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name, labels: MANAGED },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: READ_ONLY_GROUP }],
      },
    },
  ];
}

/**
 * A team's place in the cell: its namespace, `edit` there for its group
 * (the cell layer maps the team's IAM roles to `kitt:team:<name>`), a quota,
 * container defaults, and a default-deny network policy with DNS let out.
 * The namespace comes first: the others live in it.
 */
export function teamObjects(team: ResolvedTeam): StackObject[] {
  const namespace = team.name;
  const labels = { ...MANAGED, 'kitt/team': team.name };
  const meta = (name: string) => ({ name, namespace, labels });
  const id = (part: string) => `team-${team.name}-${part}`;
  return [
    {
      id: id('namespace'),
      object: {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace, labels: { ...labels, 'pod-security.kubernetes.io/enforce': 'baseline' } },
      },
    },
    {
      id: id('edit'),
      object: {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: meta('kitt-team-edit'),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: teamGroup(team.name) }],
      },
    },
    {
      id: id('quota'),
      object: {
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: meta('kitt-team-quota'),
        spec: {
          hard: {
            'requests.cpu': team.quota.cpu,
            'requests.memory': team.quota.memory,
            'limits.memory': team.quota.memory,
            pods: String(team.quota.pods),
          },
        },
      },
    },
    {
      id: id('limits'),
      object: {
        apiVersion: 'v1',
        kind: 'LimitRange',
        metadata: meta('kitt-team-defaults'),
        spec: { limits: [{ type: 'Container', ...TEAM_CONTAINER_DEFAULTS }] },
      },
    },
    {
      id: id('default-deny'),
      object: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: meta('kitt-default-deny'),
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      },
    },
    {
      id: id('allow-dns'),
      object: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: meta('kitt-allow-dns'),
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [
            {
              ports: [
                { protocol: 'UDP', port: 53 },
                { protocol: 'TCP', port: 53 },
              ],
            },
          ],
        },
      },
    },
  ];
}
