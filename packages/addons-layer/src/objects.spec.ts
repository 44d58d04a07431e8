import { org, paymentsProd, searchProd } from '@kitt/cell-layer/src/__fixtures__/examples';
import type { Flag } from '@kitt/flag-config';
import { defaultStorageClass, teamObjects } from './objects';
import { schemaProblems } from './__fixtures__/kubernetes-schemas';
import { manifestsOf, synthAddons } from './__fixtures__/synth';

const teams: Flag = {
  ...paymentsProd,
  teams: [
    { name: 'checkout', roleArns: ['arn:aws:iam::111111111111:role/checkout'], quota: { cpu: '1500m', memory: '1Ti' } },
    { name: 'search-ranking', roleArns: ['arn:aws:iam::111111111111:role/ranking'], quota: { pods: 0 } },
  ],
};

describe("the stack's own Kubernetes objects against Kubernetes' OpenAPI schemas (kubernetes-models)", () => {
  it('finds every object the stack hands kubernetes_manifest valid: StorageClass, namespaces, RBAC, quotas, LimitRanges, NetworkPolicies, the plan reader’s role', () => {
    const objects = [
      ...Object.values(manifestsOf(synthAddons(teams, org, 'a1').tf)),
      ...Object.values(manifestsOf(synthAddons(searchProd, org, 'm2').tf)),
    ];
    expect(new Set(objects.map((object) => object.kind))).toEqual(
      new Set([
        'StorageClass',
        'Namespace',
        'RoleBinding',
        'ResourceQuota',
        'LimitRange',
        'NetworkPolicy',
        'ClusterRole',
        'ClusterRoleBinding',
      ]),
    );
    expect(schemaProblems(objects)).toEqual([]);
  });

  it('would catch an object Kubernetes refuses: a quota that is no quantity, a binding without its role', () => {
    const [, binding, quota] = teamObjects({ name: 'checkout', quota: { cpu: 'lots', memory: '1Gi', pods: 1 } });
    const { roleRef: _roleRef, ...unbound } = binding?.object as Record<string, unknown>;
    const problems = schemaProblems([quota?.object, unbound, defaultStorageClass().object]);
    expect(problems.map(({ index, kind }) => [index, kind])).toEqual([
      [0, 'ResourceQuota'],
      [1, 'RoleBinding'],
    ]);
    expect(problems[0]?.error).toMatch(/requests\.cpu/);
    expect(problems[1]?.error).toMatch(/roleRef/);
  });
});
