import { Testing } from 'cdktf';
import { cidrContains } from '@kitt/allocator';
import { org, paymentsProd, searchProd } from '@kitt/cell-layer/src/__fixtures__/examples';
import {
  InputError,
  KUBE_API_HOST_VARIABLE,
  cellApiDomain,
  clusterAutoscalerTags,
  clusterCaCertificateParameterName,
  clusterName,
  type Flag,
} from '@kitt/flag-config';
import { AddonsStack } from './addons-stack';
import { addonsInputIssues } from './config';
import type { AddonsLayerError } from './errors';
import { ADDON_VERSIONS, IMAGE_TAGS_BY_KUBERNETES_MINOR } from './versions';
import { manifestsOf, releaseValues, resourcesOf, synthAddons } from './__fixtures__/synth';

const CONTROL_PLANE = { 'node-role.kubernetes.io/control-plane': '' };

/** Every `{ repository, tag }` pair anywhere in a chart's values. */
function imagesIn(value: unknown): { repository: string; tag: string }[] {
  if (Array.isArray(value)) return value.flatMap(imagesIn);
  if (typeof value !== 'object' || value === null) return [];
  const record = value as Record<string, unknown>;
  const own =
    typeof record.repository === 'string' && 'tag' in record ? [record as { repository: string; tag: string }] : [];
  return [...own, ...Object.values(record).flatMap(imagesIn)];
}

describe('AddonsStack providers', () => {
  const { tf } = synthAddons(paymentsProd, org, 'a1');
  const apiDomain = cellApiDomain(paymentsProd, 'a1', 'kitt.example.com');
  const caParameter = 'data.aws_ssm_parameter.cluster-ca-certificate';

  it('takes the API URL from a variable whose default is the private API name', () => {
    expect(tf.variable[KUBE_API_HOST_VARIABLE]).toMatchObject({
      type: 'string',
      nullable: false,
      default: `https://${apiDomain}:6443`,
    });
  });

  it("reads the cluster CA from the cell's SSM parameter", () => {
    expect(tf.data.aws_ssm_parameter?.['cluster-ca-certificate']).toEqual({
      name: clusterCaCertificateParameterName(paymentsProd, 'a1'),
    });
  });

  it('points both providers at the variable, checks TLS against the private name, and trusts the CA of SSM', () => {
    const connection = {
      host: `\${var.${KUBE_API_HOST_VARIABLE}}`,
      tls_server_name: apiDomain,
      cluster_ca_certificate: `\${${caParameter}.value}`,
    };
    expect(tf.provider.kubernetes).toEqual([expect.objectContaining(connection)]);
    expect(tf.provider.helm).toEqual([{ helm_driver: 'configmap', kubernetes: expect.objectContaining(connection) }]);
  });

  it('authenticates with an aws eks get-token token for the cluster, signed in its region, and with nothing stored', () => {
    const exec = {
      api_version: 'client.authentication.k8s.io/v1beta1',
      command: 'aws',
      args: [
        ...['eks', 'get-token', '--cluster-name', clusterName(paymentsProd, 'a1')],
        ...['--region', 'us-east-1', '--output', 'json'],
      ],
    };
    expect(tf.provider.kubernetes?.[0]?.exec).toEqual([exec]);
    expect((tf.provider.helm?.[0]?.kubernetes as Record<string, unknown>).exec).toEqual(exec);
    const fields = ['cluster_ca_certificate', 'exec', 'host', 'tls_server_name'];
    expect(Object.keys(tf.provider.kubernetes?.[0] ?? {}).sort()).toEqual(fields);
    expect(Object.keys((tf.provider.helm?.[0]?.kubernetes as object) ?? {}).sort()).toEqual(fields);
  });

  it('keeps its state in an S3-compatible store through the backend every layer shares', () => {
    const store = { endpoint: 'https://minio.example.com:9000', usePathStyle: true };
    const synth = synthAddons(paymentsProd, { ...org, state: { ...org.state, ...store } }, 'a1');
    const settings = {
      endpoints: { s3: store.endpoint },
      use_path_style: true,
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
    };
    expect(synth.tf.terraform.backend.s3).toMatchObject({
      key: 'flags/payments/prod/us-east-1/addons-a1.tfstate',
      ...settings,
    });
  });

  it("keeps its state in the org's bucket under the cell's addons key, tagged as the addons layer", () => {
    expect(tf.terraform.backend.s3).toEqual({
      bucket: 'kitt-terraform-state',
      region: 'us-east-1',
      key: 'flags/payments/prod/us-east-1/addons-a1.tfstate',
      encrypt: true,
      use_lockfile: true,
    });
    expect(tf.provider.aws?.[0]).toMatchObject({
      region: 'us-east-1',
      allowed_account_ids: ['111111111111'],
      default_tags: [{ tags: expect.objectContaining({ 'kitt:layer': 'addons' }) }],
    });
  });
});

describe('AddonsStack pod networking and DNS', () => {
  it("gives Flannel exactly the plan's pod CIDR as net-conf Network, vxlan, node subnets from the controller-manager, SNAT", () => {
    const widePods: Flag = { ...paymentsProd, network: { ...paymentsProd.network, podCidr: '100.96.0.0/12' } };
    for (const flag of [paymentsProd, widePods]) {
      const { tf, plan } = synthAddons(flag, org, 'a1');
      const values = releaseValues(tf, 'flannel');
      expect(values.podCidr).toBe(plan.podCidr);
      expect(values.flannel).toMatchObject({ backend: 'vxlan', args: ['--ip-masq', '--kube-subnet-mgr'] });
      expect(values.podCidrv6).toBeUndefined();
    }
    expect(releaseValues(synthAddons(widePods, org, 'a1').tf, 'flannel').podCidr).toBe('100.96.0.0/12');
  });

  it.each(
    (
      [
        [paymentsProd, 'a1'],
        [paymentsProd, 'b1'],
        [searchProd, 'm1'],
        [searchProd, 'm2'],
      ] as const
    ).map(([flag, cell]) => [flag.id, cell, flag] as const),
  )("serves DNS of %s cell %s on the plan's DNS IP, inside the cell's service CIDR", (_id, cell, flag) => {
    const { tf, plan } = synthAddons(flag, org, cell);
    const cellPlan = plan.cells.find((candidate) => candidate.name === cell);
    const service = releaseValues(tf, 'coredns').service as { clusterIP: string };
    expect(service.clusterIP).toBe(cellPlan?.dnsServiceIp);
    expect(cidrContains(cellPlan?.serviceCidr as string, `${service.clusterIP}/32`)).toBe(true);
  });
});

describe('AddonsStack charts', () => {
  const { tf, cellStack } = synthAddons(searchProd, org, 'm1');
  const releases = resourcesOf(tf, 'helm_release');

  it('installs every addon from a pinned chart version of an https or OCI repository', () => {
    expect(Object.keys(releases).sort()).toEqual(
      Object.keys(ADDON_VERSIONS)
        .map((name) => `addon-${name}`)
        .sort(),
    );
    for (const [id, release] of Object.entries(releases)) {
      const pinned = ADDON_VERSIONS[id.replace('addon-', '') as keyof typeof ADDON_VERSIONS];
      expect(release).toMatchObject({ repository: pinned.repository, chart: pinned.chart, version: pinned.version });
      expect(release.version).toMatch(/^v?\d+\.\d+\.\d+$/);
      expect(release.repository).toMatch(/^(https|oci):\/\//);
    }
  });

  it('pins every image it names, the main image of each addon at its pinned tag', () => {
    for (const [name, pinned] of Object.entries(ADDON_VERSIONS)) {
      const images = imagesIn(releaseValues(tf, name));
      expect(images).toContainEqual(pinned.image);
      for (const image of images) expect(image.tag).toMatch(/^v?\d+\.\d+\.\d+(-[a-z0-9]+)?$/);
    }
  });

  it('installs the network and the cloud controller manager before everything else', () => {
    const first = ['helm_release.addon-flannel', 'helm_release.addon-cloudControllerManager'];
    expect(releases['addon-flannel']).not.toHaveProperty('depends_on');
    expect(releases['addon-cloudControllerManager']).not.toHaveProperty('depends_on');
    for (const name of ['coredns', 'ebsCsiDriver', 'clusterAutoscaler', 'nodeTerminationHandler', 'metricsServer']) {
      expect(releases[`addon-${name}`]?.depends_on).toEqual(first);
    }
  });

  it('runs the AWS controllers on control-plane nodes, those that reach IMDS on the host network', () => {
    const ccm = releaseValues(tf, 'cloudControllerManager');
    expect(ccm).toMatchObject({ hostNetworking: true, nodeSelector: CONTROL_PLANE });
    expect(ccm.args).toContain(`--cluster-name=${clusterName(searchProd, 'm1')}`);
    expect(ccm.tolerations).toContainEqual(
      expect.objectContaining({ key: 'node.cloudprovider.kubernetes.io/uninitialized' }),
    );
    expect(releaseValues(tf, 'ebsCsiDriver').controller).toMatchObject({
      nodeSelector: CONTROL_PLANE,
      region: 'us-west-2',
    });
    // The chart has no value for the controller's host network: the post-renderer adds it (post-render.spec.ts).
    expect(releases['addon-ebsCsiDriver']?.postrender).toMatchObject({
      binary_path: 'node',
      args: [expect.stringMatching(/\/ebs-csi-host-network\.mjs$/)],
    });
    expect(releaseValues(tf, 'ebsCsiDriver').node).not.toHaveProperty('hostNetwork');
    expect(releaseValues(tf, 'clusterAutoscaler')).toMatchObject({ hostNetwork: true, nodeSelector: CONTROL_PLANE });
    expect(releaseValues(tf, 'nodeTerminationHandler')).toMatchObject({ useHostNetwork: true });
  });

  it('lets cluster-autoscaler discover exactly the tags the cell puts on its worker groups', () => {
    const cluster = clusterName(searchProd, 'm1');
    expect(releaseValues(tf, 'clusterAutoscaler')).toMatchObject({
      cloudProvider: 'aws',
      awsRegion: 'us-west-2',
      autoDiscovery: { clusterName: cluster, tags: Object.keys(clusterAutoscalerTags(cluster)) },
    });
    cellStack.prepareStack();
    const cellTf = JSON.parse(Testing.synth(cellStack)) as {
      resource: Record<string, Record<string, { tag?: { key: string }[] }>>;
    };
    const groups = Object.values(cellTf.resource.aws_autoscaling_group ?? {});
    expect(groups.length).toBeGreaterThan(0);
    const workerGroups = groups.filter((group) =>
      group.tag?.some((tag) => tag.key === 'k8s.io/cluster-autoscaler/enabled'),
    );
    expect(workerGroups.length).toBeGreaterThan(0);
    for (const group of workerGroups) {
      expect(group.tag?.map((tag) => tag.key)).toEqual(
        expect.arrayContaining(Object.keys(clusterAutoscalerTags(cluster))),
      );
    }
  });

  it('makes one default StorageClass, encrypted, after the EBS CSI driver', () => {
    const storage = resourcesOf(tf, 'kubernetes_manifest')['storage-class-default'];
    expect(storage?.depends_on).toEqual(['helm_release.addon-ebsCsiDriver']);
    expect(storage?.manifest).toMatchObject({
      kind: 'StorageClass',
      metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'ebs.csi.aws.com',
      parameters: { encrypted: 'true' },
    });
  });
});

describe('AddonsStack and the plan role', () => {
  const { tf } = synthAddons(searchProd, org, 'm1');

  it('keeps Helm release records in ConfigMaps, which the plan role may read, never in Secrets', () => {
    expect(tf.provider.helm?.[0]?.helm_driver).toBe('configmap');
  });

  it('lets the plan role’s group read the kinds it manages beyond view, and nothing but read', () => {
    const manifests = manifestsOf(tf);
    expect(manifests['plan-reader-binding']).toMatchObject({
      kind: 'ClusterRoleBinding',
      roleRef: { kind: 'ClusterRole', name: 'kitt:addons-plan-reader' },
      subjects: [{ kind: 'Group', name: 'kitt:readonly' }],
    });
    const rules = (manifests['plan-reader-role'] as { rules: { resources: string[]; verbs: string[] }[] }).rules;
    expect(rules.flatMap((rule) => rule.resources)).toEqual(
      expect.arrayContaining(['storageclasses', 'rolebindings', 'clusterroles', 'clusterrolebindings']),
    );
    expect(rules.flatMap((rule) => rule.resources)).not.toContain('secrets');
    for (const rule of rules) expect(rule.verbs).toEqual(['get', 'list', 'watch']);
  });
});

describe('AddonsStack with the addons settings of flag.yaml', () => {
  it('leaves out a disabled addon, and what depended on it waits no more for it', () => {
    const flag: Flag = { ...searchProd, addons: { metricsServer: { enabled: false }, flannel: { enabled: false } } };
    const releases = resourcesOf(synthAddons(flag, org, 'm1').tf, 'helm_release');
    expect(releases).not.toHaveProperty('addon-metricsServer');
    expect(releases).not.toHaveProperty('addon-flannel');
    expect(releases['addon-coredns']?.depends_on).toEqual(['helm_release.addon-cloudControllerManager']);
  });

  it('makes no StorageClass without the EBS CSI driver', () => {
    const flag: Flag = { ...searchProd, addons: { ebsCsiDriver: { enabled: false } } };
    expect(manifestsOf(synthAddons(flag, org, 'm1').tf)).not.toHaveProperty('storage-class-default');
  });

  it("installs the FLAG's chart version and image tag instead of the pinned ones", () => {
    const flag: Flag = { ...searchProd, addons: { coredns: { chartVersion: '1.44.3', imageTag: 'v1.12.2' } } };
    const { tf } = synthAddons(flag, org, 'm1');
    expect(resourcesOf(tf, 'helm_release')['addon-coredns']?.version).toBe('1.44.3');
    expect(releaseValues(tf, 'coredns').image).toEqual({
      repository: ADDON_VERSIONS.coredns.image.repository,
      tag: 'v1.12.2',
    });
  });
});

describe('AddonsStack images bound to the Kubernetes minor', () => {
  it("runs the cloud controller manager and cluster-autoscaler of each cell's own Kubernetes minor", () => {
    // b1 runs Kubernetes 1.33.6, a1 the default 1.34.
    for (const [cell, minor] of [
      ['a1', '1.34'],
      ['b1', '1.33'],
    ] as const) {
      const { tf } = synthAddons(paymentsProd, org, cell);
      const tags = IMAGE_TAGS_BY_KUBERNETES_MINOR[minor];
      expect((releaseValues(tf, 'cloudControllerManager').image as { tag: string }).tag).toBe(
        tags?.cloudControllerManager,
      );
      expect((releaseValues(tf, 'clusterAutoscaler').image as { tag: string }).tag).toBe(tags?.clusterAutoscaler);
    }
    expect(IMAGE_TAGS_BY_KUBERNETES_MINOR['1.33']?.cloudControllerManager).toMatch(/^v1\.33\./);
  });

  it('refuses a cell on a minor it pins no image for, naming the cell’s field, unless flag.yaml pins the tags', () => {
    const future: Flag = { ...searchProd, cells: [{ name: 'm1', slot: 1, kubernetesVersion: '1.99.0' }] };
    expect(() => synthAddons(future, org, 'm1')).toThrow(
      expect.objectContaining({
        code: 'KUBERNETES_MINOR_UNPINNED',
        file: searchProd.file,
        path: 'cells[0].kubernetesVersion',
        received: '1.99.0',
      }),
    );
    const pinned: Flag = {
      ...future,
      addons: { cloudControllerManager: { imageTag: 'v1.99.0' }, clusterAutoscaler: { imageTag: 'v1.99.1' } },
    };
    const { tf } = synthAddons(pinned, org, 'm1');
    expect((releaseValues(tf, 'clusterAutoscaler').image as { tag: string }).tag).toBe('v1.99.1');
  });

  it('gives kitt check the refusal synthesis throws, for each cell and addon on an unpinned minor, before any stack', () => {
    const future: Flag = {
      ...searchProd,
      cells: [
        { name: 'm1', slot: 1 },
        { name: 'm2', slot: 2, kubernetesVersion: '1.99.0' },
      ],
      addons: { clusterAutoscaler: { imageTag: 'v1.99.1' } },
    };
    let thrown: unknown;
    try {
      synthAddons(future, org, 'm2');
    } catch (error) {
      thrown = error;
    }
    expect(addonsInputIssues(future)).toEqual([{ ...(thrown as AddonsLayerError).issues[0] }]);
    expect(addonsInputIssues(future)).toEqual([
      expect.objectContaining({
        code: 'KUBERNETES_MINOR_UNPINNED',
        path: 'cells[1].kubernetesVersion',
        message: expect.stringContaining('cloudControllerManager'),
      }),
    ]);
    const off: Flag = { ...future, addons: { ...future.addons, cloudControllerManager: { enabled: false } } };
    expect(addonsInputIssues(off)).toEqual([]);
    expect(addonsInputIssues(searchProd)).toEqual([]);
  });
});

describe('AddonsStack teams', () => {
  it("gives each team of flag.yaml a namespace, edit for the team's group, its quota, container defaults and default deny", () => {
    const flag: Flag = {
      ...paymentsProd,
      teams: [
        { name: 'checkout', roleArns: ['arn:aws:iam::111111111111:role/checkout'], quota: { cpu: '64', pods: 500 } },
        { name: 'search-ranking', roleArns: ['arn:aws:iam::111111111111:role/ranking'] },
      ],
    };
    const manifests = manifestsOf(synthAddons(flag, org, 'a1').tf);
    for (const team of ['checkout', 'search-ranking']) {
      expect(manifests[`team-${team}-namespace`]).toMatchObject({ kind: 'Namespace', metadata: { name: team } });
      expect(manifests[`team-${team}-edit`]).toMatchObject({
        kind: 'RoleBinding',
        metadata: { namespace: team },
        roleRef: { kind: 'ClusterRole', name: 'edit' },
        subjects: [{ kind: 'Group', name: `kitt:team:${team}` }],
      });
      expect(manifests[`team-${team}-limits`]).toMatchObject({ kind: 'LimitRange', metadata: { namespace: team } });
      expect(manifests[`team-${team}-default-deny`]).toMatchObject({
        kind: 'NetworkPolicy',
        metadata: { namespace: team },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      });
    }
    expect(manifests['team-checkout-quota']).toMatchObject({
      kind: 'ResourceQuota',
      spec: { hard: { 'requests.cpu': '64', 'requests.memory': '64Gi', pods: '500' } },
    });
    expect(manifests['team-search-ranking-quota']).toMatchObject({
      spec: { hard: { 'requests.cpu': '16', 'requests.memory': '64Gi', pods: '200' } },
    });
  });

  it('creates the objects of a team after its namespace', () => {
    const manifests = resourcesOf(synthAddons(paymentsProd, org, 'a1').tf, 'kubernetes_manifest');
    for (const part of ['edit', 'quota', 'limits', 'default-deny', 'allow-dns']) {
      expect(manifests[`team-checkout-${part}`]?.depends_on).toEqual(['kubernetes_manifest.team-checkout-namespace']);
    }
  });

  it('enforces the network policies beside Flannel, which enforces none itself', () => {
    expect(releaseValues(synthAddons(paymentsProd, org, 'a1').tf, 'flannel').netpol).toEqual({
      enabled: true,
      image: ADDON_VERSIONS.flannel.otherImages?.networkPolicies,
    });
  });

  it('makes no team objects for a FLAG without teams', () => {
    expect(
      Object.keys(manifestsOf(synthAddons(searchProd, org, 'm1').tf)).filter((id) => id.startsWith('team-')),
    ).toEqual([]);
  });
});

describe('AddonsStack refusals', () => {
  const build = (flag: Flag, cell: string, id: string, orgConfig = org) => {
    const { cellStack, plan } = synthAddons(searchProd, org, 'm1');
    return () =>
      new AddonsStack(Testing.app(), id, {
        flag,
        org: orgConfig,
        plan: flag === searchProd ? plan : synthAddons(flag, org, 'a1').plan,
        cell,
        cellOutputs: cellStack.outputs,
      });
  };

  it('refuses a cell the FLAG lacks, naming the file and field', () => {
    expect(build(searchProd, 'zz', 'search-prod-us-west-2-addons-zz')).toThrow(
      expect.objectContaining({
        code: 'CELL_UNKNOWN',
        file: searchProd.file,
        path: 'cells',
        expected: 'one of m1, m2',
      }),
    );
  });

  it('refuses a stack named otherwise than the naming module names it', () => {
    expect(build(searchProd, 'm1', 'addons-m1')).toThrow(
      expect.objectContaining({ code: 'STACK_NAME_MISMATCH', expected: 'search-prod-us-west-2-addons-m1' }),
    );
  });

  it("refuses another cell's outputs", () => {
    const { cellStack, plan } = synthAddons(searchProd, org, 'm2');
    expect(
      () =>
        new AddonsStack(Testing.app(), 'search-prod-us-west-2-addons-m1', {
          flag: searchProd,
          org,
          plan,
          cell: 'm1',
          cellOutputs: cellStack.outputs,
        }),
    ).toThrow(expect.objectContaining({ code: 'CELL_OUTPUTS_MISMATCH', received: 'search-prod-us-west-2-m2' }));
  });

  it("refuses another FLAG's network plan", () => {
    const { cellStack } = synthAddons(searchProd, org, 'm1');
    const otherPlan = synthAddons(paymentsProd, org, 'a1').plan;
    expect(
      () =>
        new AddonsStack(Testing.app(), 'search-prod-us-west-2-addons-m1', {
          flag: searchProd,
          org,
          plan: otherPlan,
          cell: 'm1',
          cellOutputs: cellStack.outputs,
        }),
    ).toThrow(expect.objectContaining({ code: 'PLAN_MISMATCH', path: 'network' }));
  });

  it('refuses a plan whose DNS IP lies outside the cell’s service network', () => {
    const { cellStack, plan } = synthAddons(searchProd, org, 'm1');
    const broken = {
      ...plan,
      cells: plan.cells.map((cell) => (cell.name === 'm1' ? { ...cell, dnsServiceIp: '10.2.0.10' } : cell)),
    };
    expect(
      () =>
        new AddonsStack(Testing.app(), 'search-prod-us-west-2-addons-m1', {
          flag: searchProd,
          org,
          plan: broken,
          cell: 'm1',
          cellOutputs: cellStack.outputs,
        }),
    ).toThrow(expect.objectContaining({ code: 'DNS_IP_OUTSIDE_SERVICE_CIDR', received: '10.2.0.10' }));
  });

  it('refuses an org.yaml without a domain (the API has no name) as an input error', () => {
    const { domain: _domain, ...noDomain } = org;
    expect(build(searchProd, 'm1', 'search-prod-us-west-2-addons-m1', noDomain)).toThrow(InputError);
  });
});
