import { gzipSync } from 'node:zlib';
import {
  documentOfKind,
  exampleConfig,
  extraArgs,
  fileOf,
  renderNode,
  ROLE_CASES,
  scriptsOf,
  yamlDocuments,
} from './__fixtures__/example-config';

const controller = renderNode('control-plane');
const worker = renderNode('worker');
const etcd1 = renderNode('etcd', 1);
const initFile = fileOf(controller, '/etc/kitt/kubeadm/init.yaml');
const cluster = documentOfKind(initFile, 'ClusterConfiguration') as {
  clusterName: string;
  kubernetesVersion: string;
  controlPlaneEndpoint: string;
  networking: { serviceSubnet: string; podSubnet: string };
  etcd: { external: { endpoints: string[] } };
  apiServer: { certSANs: string[]; extraArgs: unknown };
  controllerManager: { extraArgs: unknown };
};

describe('renderUserData', () => {
  it.each(ROLE_CASES)(
    'starts the $label user data with #cloud-config and writes its files and one boot command',
    ({ role, member }) => {
      const node = renderNode(role, member);
      expect(node.text.startsWith('#cloud-config\n')).toBe(true);
      expect(node.cloudConfig.write_files.length).toBeGreaterThan(0);
      expect(node.cloudConfig.runcmd).toHaveLength(1);
    },
  );

  it.each(ROLE_CASES)('keeps the $label user data under the 16 KiB EC2 limit once gzipped', ({ role, member }) => {
    expect(gzipSync(renderNode(role, member).text, { level: 9 }).length).toBeLessThan(16 * 1024);
  });

  it('reads instance metadata only through IMDSv2, with a session token', () => {
    for (const { role, member } of ROLE_CASES) {
      const node = renderNode(role, member);
      const metadataCalls = [...node.files.values()].flatMap((content) =>
        content.split('\n').filter((line) => line.includes('169.254.169.254')),
      );
      expect(metadataCalls).toEqual([
        expect.stringMatching(
          /curl -fsS -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: \d+' \S+\/latest\/api\/token/,
        ),
        expect.stringMatching(/curl -fsS -H "X-aws-ec2-metadata-token: \$token" /),
      ]);
    }
  });

  it('sends every AWS CLI call to the config region: each script that calls aws sources lib.sh, which sets it', () => {
    for (const { role, member } of ROLE_CASES) {
      const scripts = scriptsOf(renderNode(role, member));
      expect(scripts.get('/usr/local/lib/kitt/lib.sh')).toContain(
        `export AWS_DEFAULT_REGION='${exampleConfig.region}'`,
      );
      for (const [path, script] of scripts)
        if (/^\s*[^#\n]*\baws (ec2|ssm) /m.test(script) && !path.endsWith('-lib.sh'))
          expect({ path, sourcesLib: script.includes('. /usr/local/lib/kitt/lib.sh') }).toEqual({
            path,
            sourcesLib: true,
          });
    }
  });

  it('keeps cloud-init from rewriting /etc/hosts on controllers, where the API name points at the node itself', () => {
    expect(controller.cloudConfig['manage_etc_hosts']).toBe(false);
    expect(fileOf(controller, '/usr/local/lib/kitt/kubeadm-init.sh')).toContain(
      `printf '127.0.0.1 %s\\n' "$API_HOST" >>/etc/hosts`,
    );
  });

  it('boots each file that runcmd names from write_files', () => {
    for (const { role, member } of ROLE_CASES) {
      const node = renderNode(role, member);
      const command = (node.cloudConfig.runcmd as string[][])[0]?.[0];
      expect(node.files.has(command ?? '')).toBe(true);
    }
  });
});

describe('kubeadm ClusterConfiguration of the controllers', () => {
  it('takes the service and pod networks from the config', () => {
    expect(cluster.networking).toMatchObject({
      serviceSubnet: exampleConfig.serviceCidr,
      podSubnet: exampleConfig.podCidr,
    });
  });

  it('names the cluster and pins the Kubernetes version', () => {
    expect(cluster.clusterName).toBe(exampleConfig.clusterName);
    expect(cluster.kubernetesVersion).toBe(`v${exampleConfig.kubernetesVersion}`);
  });

  it('serves the API at apiEndpoint:6443 with the endpoint and the API service IP among the certificate SANs', () => {
    expect(cluster.controlPlaneEndpoint).toBe(`${exampleConfig.apiEndpoint}:6443`);
    expect(cluster.apiServer.certSANs).toEqual(
      expect.arrayContaining([exampleConfig.apiEndpoint, exampleConfig.apiServiceIp]),
    );
  });

  it('uses the three etcd members as external etcd, over TLS on 2379', () => {
    expect(cluster.etcd.external.endpoints).toEqual(
      exampleConfig.etcdMembers.map((member) => `https://${member.ip}:2379`),
    );
  });

  it('lets the controller-manager allocate node CIDRs of the node pod prefix', () => {
    expect(extraArgs(cluster.controllerManager.extraArgs)).toMatchObject({
      'allocate-node-cidrs': 'true',
      'node-cidr-mask-size': String(exampleConfig.nodePodPrefix),
      'cluster-name': exampleConfig.clusterName,
    });
  });

  it('authenticates API tokens through the local aws-iam-authenticator webhook', () => {
    expect(extraArgs(cluster.apiServer.extraArgs)['authentication-token-webhook-config-file']).toBe(
      '/etc/kubernetes/aws-iam-authenticator/kubeconfig.yaml',
    );
  });

  it('gives kubelets the DNS service IP as cluster DNS', () => {
    expect(documentOfKind(initFile, 'KubeletConfiguration')['clusterDNS']).toEqual([exampleConfig.dnsServiceIp]);
  });
});

describe('kubeadm runs', () => {
  it('initialises the first controller without CoreDNS, which the addons layer owns', () => {
    expect(fileOf(controller, '/usr/local/lib/kitt/kubeadm-init.sh')).toMatch(
      /^kubeadm init --config \S+ --skip-phases=addon\/coredns /m,
    );
  });

  it('joins a worker through apiEndpoint:6443 with a bootstrap token filled in at boot', () => {
    const [join] = yamlDocuments(fileOf(worker, '/etc/kitt/kubeadm/join-worker.yaml'));
    expect(join).toMatchObject({
      kind: 'JoinConfiguration',
      discovery: {
        bootstrapToken: { apiServerEndpoint: `${exampleConfig.apiEndpoint}:6443`, token: '__JOIN_TOKEN__' },
      },
    });
    expect(join).not.toHaveProperty('controlPlane');
  });

  it('joins further controllers as control-plane nodes', () => {
    const [join] = yamlDocuments(fileOf(controller, '/etc/kitt/kubeadm/join-control-plane.yaml'));
    expect(join).toMatchObject({ kind: 'JoinConfiguration', controlPlane: {} });
  });

  it('patches a joining worker kubelet to the DNS service IP', () => {
    const [patch] = yamlDocuments(fileOf(worker, '/etc/kitt/kubeadm/patches/kubeletconfiguration+merge.yaml'));
    expect(patch).toEqual({ clusterDNS: [exampleConfig.dnsServiceIp] });
  });
});

describe('etcd member', () => {
  const etcdConfig = yamlDocuments(fileOf(etcd1, '/etc/etcd/etcd.conf.yml'))[0] as Record<string, unknown>;

  it('starts a cluster of the three plan addresses named etcd-0 to etcd-2', () => {
    expect(etcdConfig['initial-cluster']).toBe(
      'etcd-0=https://10.0.192.10:2380,etcd-1=https://10.0.196.11:2380,etcd-2=https://10.0.200.12:2380',
    );
    expect(etcdConfig['name']).toBe('etcd-1');
  });

  it('serves clients on 2379 and peers on 2380 at its own fixed address', () => {
    expect(etcdConfig).toMatchObject({
      'advertise-client-urls': 'https://10.0.196.11:2379',
      'initial-advertise-peer-urls': 'https://10.0.196.11:2380',
      'listen-peer-urls': 'https://10.0.196.11:2380',
    });
  });

  it('requires client certificates from clients and peers', () => {
    expect(etcdConfig).toMatchObject({
      'client-transport-security': { 'client-cert-auth': true },
      'peer-transport-security': { 'client-cert-auth': true },
    });
  });

  it('finds its interface and volume by its own cell and member tags, in its own zone', () => {
    const attach = fileOf(etcd1, '/usr/local/lib/kitt/attach-etcd-resources.sh');
    for (const filter of [
      'Name=tag:kitt:cell,Values=a',
      'Name=tag:kitt:etcd-member,Values=1',
      'Name=availability-zone,Values=eu-west-1b',
    ])
      expect(attach).toContain(`'${filter}'`);
    expect(attach).toMatch(/aws ec2 describe-network-interfaces --filters "\$\{MEMBER_FILTERS\[@\]\}"/);
    expect(attach).toMatch(/aws ec2 describe-volumes --filters "\$\{MEMBER_FILTERS\[@\]\}"/);
  });

  it('formats its data volume only when blkid finds no filesystem on it', () => {
    const mount = fileOf(etcd1, '/usr/local/lib/kitt/mount-etcd-volume.sh');
    expect(mount).toMatch(/if \[ "\$probe" -eq 2 \]; then\n\s+mkfs\.ext4/);
    expect(mount.match(/mkfs/g)).toHaveLength(1);
  });

  it('starts etcd without waiting for the quorum that the other members complete', () => {
    expect(fileOf(etcd1, '/usr/local/lib/kitt/bootstrap-etcd.sh')).toContain('systemctl start --no-block etcd.service');
    expect(fileOf(etcd1, '/etc/systemd/system/etcd.service')).toMatch(/^Type=notify\nTimeoutStartSec=0$/m);
  });

  it('issues its certificates for its fixed address', () => {
    expect(fileOf(etcd1, '/usr/local/lib/kitt/issue-etcd-certs.sh')).toContain("readonly MEMBER_IP='10.0.196.11'");
  });
});

describe('PKI and join token on the controllers', () => {
  it('takes the PKI lock with put-parameter without --overwrite', () => {
    const lock = fileOf(controller, '/usr/local/lib/kitt/take-pki-lock.sh');
    expect(lock).toContain("readonly LOCK='/kitt/acme-prod-eu-west-1/a/pki/lock'");
    const put = lock.split('\n').find((line) => line.includes('aws ssm put-parameter'));
    expect(put).toBeDefined();
    expect(put).not.toContain('--overwrite');
  });

  it('stores every key as a SecureString under the cell KMS key and publishes the CA certificate as a String', () => {
    const create = fileOf(controller, '/usr/local/lib/kitt/create-cluster-pki.sh');
    const puts = create.split('\n').filter((line) => line.startsWith('ssm_put_'));
    for (const line of puts)
      expect(line.startsWith(line.includes('.key') ? 'ssm_put_secret ' : 'ssm_put_public ')).toBe(true);
    expect(puts.at(-1)).toBe(`ssm_put_public '/kitt/acme-prod-eu-west-1/a/ca.crt' "$PKI/ca.crt"`);
    const pkiLib = fileOf(controller, '/usr/local/lib/kitt/pki-lib.sh');
    expect(pkiLib).toContain("readonly KMS_KEY_ID='alias/kitt-acme-prod-eu-west-1-a'");
    expect(pkiLib).toContain('--type SecureString --key-id "$KMS_KEY_ID"');
  });

  it('renews the worker join token every hour with a two-hour TTL', () => {
    expect(fileOf(controller, '/usr/local/lib/kitt/rotate-join-token.sh')).toMatch(
      /kubeadm token create --ttl 2h [\s\S]*ssm_put_secret '\/kitt\/acme-prod-eu-west-1\/a\/join\/token' \S+ --overwrite/,
    );
    expect(fileOf(controller, '/etc/systemd/system/kitt-join-token.timer')).toContain('OnUnitActiveSec=1h');
  });

  it('maps admin, read-only and team roles to their groups, without IAM paths', () => {
    const [authenticator] = yamlDocuments(fileOf(controller, '/etc/aws-iam-authenticator/config.yaml'));
    expect(authenticator).toEqual({
      clusterID: exampleConfig.clusterName,
      server: {
        mapRoles: [
          {
            roleARN: 'arn:aws:iam::111122223333:role/kitt-acme-prod-eu-west-1-apply',
            username: 'kitt-admin:{{SessionName}}',
            groups: ['kitt:admins'],
          },
          {
            roleARN: 'arn:aws:iam::111122223333:role/kitt-acme-prod-eu-west-1-plan',
            username: 'kitt-readonly:{{SessionName}}',
            groups: ['kitt:readonly'],
          },
          {
            roleARN: 'arn:aws:iam::111122223333:role/payments-developers',
            username: 'kitt-team-payments:{{SessionName}}',
            groups: ['kitt:team:payments'],
          },
          {
            roleARN: 'arn:aws:iam::444455556666:role/search-oncall',
            username: 'kitt-team-search:{{SessionName}}',
            groups: ['kitt:team:search'],
          },
        ],
      },
    });
  });

  it('gives a role listed twice one mapping with both groups', () => {
    const apply = 'arn:aws:iam::111122223333:role/kitt-acme-prod-eu-west-1-apply';
    const node = renderNode('control-plane', undefined, {
      ...exampleConfig,
      teams: [{ name: 'ops', roleArns: [apply] }],
    });
    const [authenticator] = yamlDocuments(fileOf(node, '/etc/aws-iam-authenticator/config.yaml'));
    expect(authenticator).toMatchObject({
      server: {
        mapRoles: [{ roleARN: apply, groups: ['kitt:admins', 'kitt:team:ops'] }, { groups: ['kitt:readonly'] }],
      },
    });
  });

  it('binds kitt:admins to cluster-admin and kitt:readonly to view', () => {
    const bindings = yamlDocuments(fileOf(controller, '/etc/kitt/group-bindings.yaml')) as {
      roleRef: { name: string };
      subjects: { name: string }[];
    }[];
    expect(bindings.map((b) => [b.subjects[0]?.name, b.roleRef.name])).toEqual([
      ['kitt:admins', 'cluster-admin'],
      ['kitt:readonly', 'view'],
    ]);
  });
});
