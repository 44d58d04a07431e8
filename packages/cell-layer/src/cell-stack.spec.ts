import { gunzipSync } from 'node:zlib';
import { App, Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { planNetwork } from '@kitt/allocator';
import { networkInputOf, stackName } from '@kitt/flag-config';
import { FlagStack } from '@kitt/flag-layer';
import { org, paymentsProd, searchProd } from './__fixtures__/examples';
import { resourcesOf, synthCell, type SynthesizedCell, type TerraformJson } from './__fixtures__/synth';
import { CellStack } from './cell-stack';
import { CELL_OUTPUT_NAMES } from './outputs';

Testing.setupJest();

// One synth per configuration, shared by the tests that only read it.
const m1: SynthesizedCell = synthCell(searchProd, org, 'm1');
const a1: SynthesizedCell = synthCell(paymentsProd, org, 'a1');
const b1: SynthesizedCell = synthCell(paymentsProd, org, 'b1');

const REMOTE = 'data.terraform_remote_state.cross-stack-reference-input-search-prod-us-west-2-flag.outputs';
/** The remote-state reference to a flag stack resource's attribute, as cdktf names it. */
const flagRef = (type: string, name: string, attribute = 'id') =>
  `\${${REMOTE}.cross-stack-output-${type}${name}${attribute}}`;
const ref = (type: string, name: string, attribute = 'id') => `\${${type}.${name}.${attribute}}`;
const cellPlanOf = (synth: SynthesizedCell, cell: string) => synth.plan.cells.find((c) => c.name === cell)!;
const decode = (userData: unknown) => gunzipSync(Buffer.from(String(userData), 'base64')).toString('utf8');

describe('etcd members', () => {
  const enis = Object.values(resourcesOf(m1.tf, 'aws_network_interface'));

  it('are three, on three distinct management subnets of a multi-AZ cell, in three zones', () => {
    const plan = cellPlanOf(m1, 'm1');
    expect(enis.map((eni) => eni.subnet_id)).toEqual(
      plan.etcd.map((member) => {
        const block = m1.plan.blocks.find((b) => b.cidr === member.subnet)!;
        return flagRef('aws_subnet', `subnet-${block.name.replaceAll('/', '-')}`);
      }),
    );
    expect(new Set(enis.map((eni) => eni.subnet_id)).size).toBe(3);
    const zones = Object.values(resourcesOf(m1.tf, 'aws_ebs_volume')).map((volume) => volume.availability_zone);
    expect(zones).toEqual(['us-west-2a', 'us-west-2b', 'us-west-2c']);
  });

  it("take exactly the plan's fixed IPs", () => {
    expect(enis.map((eni) => eni.private_ips)).toEqual(cellPlanOf(m1, 'm1').etcd.map((member) => [member.ip]));
    expect(Object.values(resourcesOf(a1.tf, 'aws_network_interface')).map((eni) => eni.private_ips)).toEqual([
      ['10.0.192.10'],
      ['10.0.192.11'],
      ['10.0.192.12'],
    ]);
  });

  it('are each an Auto Scaling group of exactly one, without instance refresh', () => {
    const groups = resourcesOf(m1.tf, 'aws_autoscaling_group');
    for (const index of [0, 1, 2]) {
      expect(groups[`asg-etcd-${index}`]).toMatchObject({ min_size: 1, max_size: 1, desired_capacity: 1 });
      expect(groups[`asg-etcd-${index}`]).not.toHaveProperty('instance_refresh');
    }
  });

  it('keep their interface and encrypted data volume apart from the instance, tagged for the member to find them', () => {
    const volume = resourcesOf(m1.tf, 'aws_ebs_volume')['volume-etcd-2'];
    expect(volume).toMatchObject({ encrypted: true, type: 'gp3', size: 20 });
    for (const resource of [volume, resourcesOf(m1.tf, 'aws_network_interface')['eni-etcd-2']]) {
      expect(resource?.tags).toMatchObject({
        'kitt:etcd-member': '2',
        'kitt:cell': 'm1',
        'kitt:flag': 'search-prod-us-west-2',
      });
    }
  });

  it('each have their own role, tagged with the member index', () => {
    const roles = resourcesOf(m1.tf, 'aws_iam_role');
    expect([0, 1, 2].map((index) => roles[`role-etcd-${index}`]?.tags)).toEqual(
      [0, 1, 2].map((index) => expect.objectContaining({ 'kitt:etcd-member': String(index) })),
    );
    expect(resourcesOf(m1.tf, 'aws_launch_template')['lt-etcd-1']?.iam_instance_profile).toEqual({
      arn: ref('aws_iam_instance_profile', 'profile-etcd-1', 'arn'),
    });
  });

  it("use a cell's own settings for volume size", () => {
    expect(resourcesOf(b1.tf, 'aws_ebs_volume')['volume-etcd-0']?.size).toBe(40);
  });
});

describe('security groups', () => {
  type Rule = Record<string, unknown>;
  const ingress = Object.values(resourcesOf(m1.tf, 'aws_vpc_security_group_ingress_rule')) as Rule[];
  const opens = (rule: Rule, port: number) =>
    rule.ip_protocol === '-1' || ((rule.from_port as number) <= port && port <= (rule.to_port as number));

  it('open 2379 to the control plane only and 2380 between members only', () => {
    const etcdClient = ingress.filter((rule) => opens(rule, 2379));
    const etcdPeer = ingress.filter((rule) => opens(rule, 2380));
    expect(etcdClient).toEqual([
      expect.objectContaining({
        security_group_id: ref('aws_security_group', 'sg-etcd'),
        referenced_security_group_id: ref('aws_security_group', 'sg-control-plane'),
      }),
    ]);
    expect(etcdPeer).toEqual([
      expect.objectContaining({ referenced_security_group_id: ref('aws_security_group', 'sg-etcd') }),
    ]);
    expect(ingress.some((rule) => 'cidr_ipv4' in rule)).toBe(false);
  });

  it("keep etcd out of the FLAG's cluster-nodes group, which allows all traffic between nodes", () => {
    const etcdGroups = [
      ...Object.values(resourcesOf(m1.tf, 'aws_network_interface')).map((eni) => eni.security_groups),
      ...[0, 1, 2].map(
        (index) =>
          (resourcesOf(m1.tf, 'aws_launch_template')[`lt-etcd-${index}`]?.network_interfaces as Rule[])[0]
            ?.security_groups,
      ),
    ];
    for (const groups of etcdGroups) expect(groups).toEqual([ref('aws_security_group', 'sg-etcd')]);
  });

  it("put every Kubernetes node of the cell in the cell's nodes group, the one the cloud controller manager opens", () => {
    const groupsOf = (template: string) =>
      (resourcesOf(m1.tf, 'aws_launch_template')[template]?.network_interfaces as Rule[])[0]?.security_groups;
    const nodes = ref('aws_security_group', 'sg-nodes');
    expect(groupsOf('lt-worker')).toEqual([flagRef('aws_security_group', 'sg-cluster-nodes'), nodes]);
    expect(groupsOf('lt-control-plane')).toContain(nodes);
    expect(resourcesOf(m1.tf, 'aws_security_group')['sg-nodes']?.tags).toMatchObject({
      'kubernetes.io/cluster/search-prod-us-west-2-m1': 'owned',
    });
  });

  it('open no SSH anywhere', () => {
    expect(ingress.filter((rule) => opens(rule, 22))).toEqual([]);
  });
});

describe('control plane and API endpoint', () => {
  it('listens on 6443 on an internal network load balancer over the management subnets', () => {
    expect(m1.json).toHaveResourceWithProperties(LbListener, { port: 6443, protocol: 'TCP' });
    expect(resourcesOf(m1.tf, 'aws_lb')['lb-api']).toMatchObject({
      internal: true,
      load_balancer_type: 'network',
      subnets: ['a', 'b', 'c'].map((zone) => flagRef('aws_subnet', `subnet-us-west-2${zone}-slot1-management`)),
      security_groups: [flagRef('aws_security_group', 'sg-api-lb')],
    });
  });

  it('targets instances with an API health check and without client IP preservation', () => {
    expect(m1.json).toHaveResourceWithProperties(LbTargetGroup, {
      port: 6443,
      target_type: 'instance',
      preserve_client_ip: 'false',
      health_check: expect.objectContaining({ protocol: 'HTTPS', path: '/readyz' }),
    });
    expect(resourcesOf(m1.tf, 'aws_autoscaling_group')['asg-control-plane']?.target_group_arns).toEqual([
      ref('aws_lb_target_group', 'tg-api', 'arn'),
    ]);
  });

  it("names the API api.<cell>.<flag-id>.<domain> in the FLAG's private zone", () => {
    expect(m1.json).toHaveResourceWithProperties(Route53Record, {
      name: 'api.m1.search-prod-us-west-2.kitt.example.com',
      type: 'A',
      zone_id: flagRef('aws_route53_zone', 'private-zone', 'zone_id'),
    });
  });

  it('keeps names within the load balancer limit of 32 characters', () => {
    expect(String(resourcesOf(m1.tf, 'aws_lb')['lb-api']?.name).length).toBeLessThanOrEqual(32);
    expect(String(resourcesOf(m1.tf, 'aws_lb_target_group')['tg-api']?.name).length).toBeLessThanOrEqual(32);
  });
});

describe('workers', () => {
  it("spread over the worker subnets in the plan's round-robin order", () => {
    const blocks = cellPlanOf(m1, 'm1').workerSubnets.map((cidr) => m1.plan.blocks.find((b) => b.cidr === cidr)!);
    expect(resourcesOf(m1.tf, 'aws_autoscaling_group')['asg-worker']?.vpc_zone_identifier).toEqual(
      blocks.map((block) => flagRef('aws_subnet', `subnet-${block.name.replaceAll('/', '-')}`)),
    );
  });

  it('leave desired capacity to cluster-autoscaler', () => {
    expect(resourcesOf(m1.tf, 'aws_autoscaling_group')['asg-worker']?.lifecycle).toEqual({
      ignore_changes: ['desired_capacity'],
    });
  });

  it('carry the autoscaler and cluster tags on the group, propagated, and on the launch template', () => {
    const group = resourcesOf(m1.tf, 'aws_autoscaling_group')['asg-worker'];
    const tags = group?.tag as { key: string; value: string; propagate_at_launch: boolean }[];
    expect(tags.every((tag) => tag.propagate_at_launch)).toBe(true);
    expect(tags.map((tag) => tag.key)).toEqual(
      expect.arrayContaining([
        'kubernetes.io/cluster/search-prod-us-west-2-m1',
        'k8s.io/cluster-autoscaler/enabled',
        'k8s.io/cluster-autoscaler/search-prod-us-west-2-m1',
      ]),
    );
    const specs = resourcesOf(m1.tf, 'aws_launch_template')['lt-worker']?.tag_specifications as {
      resource_type: string;
      tags: Record<string, string>;
    }[];
    expect(specs.map((spec) => spec.resource_type)).toEqual(['instance', 'volume']);
    expect(specs[0]?.tags).toMatchObject({ 'kubernetes.io/cluster/search-prod-us-west-2-m1': 'owned' });
  });

  it("take min, max and instance types from the cell's settings, several types as a mixed-instances group", () => {
    const group = resourcesOf(b1.tf, 'aws_autoscaling_group')['asg-worker'];
    expect(group).toMatchObject({ min_size: 3, max_size: 30 });
    expect(group?.mixed_instances_policy).toMatchObject({
      launch_template: { override: [{ instance_type: 'm7i.2xlarge' }, { instance_type: 'm6i.2xlarge' }] },
    });
    expect(resourcesOf(a1.tf, 'aws_autoscaling_group')['asg-worker']).toMatchObject({ min_size: 2, max_size: 10 });
  });
});

describe('every node', () => {
  const templatesOf = (tf: TerraformJson) => Object.values(resourcesOf(tf, 'aws_launch_template'));

  it('requires IMDSv2 with a hop limit of 1', () => {
    for (const template of templatesOf(m1.tf)) {
      expect(template.metadata_options).toEqual({
        http_endpoint: 'enabled',
        http_tokens: 'required',
        http_put_response_hop_limit: 1,
      });
    }
    expect(templatesOf(m1.tf)).toHaveLength(5);
  });

  it('has an encrypted root volume, no public IP and no SSH key', () => {
    for (const template of templatesOf(m1.tf)) {
      expect(template.block_device_mappings).toEqual([
        expect.objectContaining({ ebs: expect.objectContaining({ encrypted: 'true' }) }),
      ]);
      expect(template.network_interfaces).toEqual([expect.objectContaining({ associate_public_ip_address: 'false' })]);
      expect(template).not.toHaveProperty('key_name');
    }
  });

  it('boots the AMI of org.yaml: an SSM parameter resolved at launch, or a pinned id', () => {
    expect(templatesOf(m1.tf)[0]?.image_id).toBe('resolve:ssm:/aws/service/debian/release/12/latest/amd64');
    expect(templatesOf(a1.tf)[0]?.image_id).toBe('ami-0123456789abcdef0');
  });

  it('gets the user data the renderer made for its role, base64-encoded', () => {
    const templates = resourcesOf(m1.tf, 'aws_launch_template');
    expect(decode(templates['lt-etcd-2']?.user_data)).toBe('#cloud-config\n# etcd 2 of search-prod-us-west-2-m1\n');
    expect(decode(templates['lt-worker']?.user_data)).toBe('#cloud-config\n# worker of search-prod-us-west-2-m1\n');
  });
});

describe('bootstrap configuration', () => {
  const config = m1.calls[0]!.config;

  it('is rendered from the plan: service network, API and DNS service IPs, pod network, etcd members', () => {
    const plan = cellPlanOf(m1, 'm1');
    expect(config).toMatchObject({
      clusterName: 'search-prod-us-west-2-m1',
      serviceCidr: plan.serviceCidr,
      apiServiceIp: plan.apiServiceIp,
      dnsServiceIp: plan.dnsServiceIp,
      podCidr: plan.podCidr,
      nodePodPrefix: plan.nodePodPrefix,
      apiEndpoint: 'api.m1.search-prod-us-west-2.kitt.example.com',
      ssmPrefix: '/kitt/search-prod-us-west-2/m1/',
      kmsKeyAlias: 'alias/kitt-search-prod-us-west-2-m1',
    });
    expect(config.etcdMembers).toEqual(plan.etcd.map((member, index) => ({ index, ip: member.ip, zone: member.zone })));
  });

  it('maps the apply role to admin, the plan role to read-only and the teams to their groups', () => {
    expect(config.adminRoleArns).toEqual(['arn:aws:iam::333333333333:role/kitt-apply']);
    expect(config.readOnlyRoleArns).toEqual(['arn:aws:iam::333333333333:role/kitt-plan']);
    expect(a1.calls[0]!.config.teams).toEqual([
      { name: 'checkout', roleArns: ['arn:aws:iam::111111111111:role/checkout-developers'] },
    ]);
    expect(b1.calls[0]!.config.kubernetesVersion).toBe('1.33.6');
  });

  it('renders each role once and each etcd member with its index', () => {
    expect(m1.calls.map((call) => [call.role, call.etcdMemberIndex])).toEqual([
      ['etcd', 0],
      ['etcd', 1],
      ['etcd', 2],
      ['control-plane', undefined],
      ['worker', undefined],
    ]);
  });

  it('puts no secret in Terraform: no SecureString, no SSM parameter resource, no Terraform token in user data', () => {
    // The instances make every parameter at boot; the stack only makes the key and the IAM that scopes them.
    expect(resourcesOf(m1.tf, 'aws_ssm_parameter')).toEqual({});
    expect(m1.json).not.toMatch(/"type": "SecureString"/);
    for (const template of Object.values(resourcesOf(m1.tf, 'aws_launch_template'))) {
      expect(decode(template.user_data)).not.toMatch(/\$\{|TfToken/);
    }
  });
});

describe('CellStack', () => {
  it('reads everything of the flag layer from its remote state', () => {
    expect(
      m1.tf.data?.terraform_remote_state?.['cross-stack-reference-input-search-prod-us-west-2-flag'],
    ).toMatchObject({
      backend: 's3',
      config: { bucket: 'kitt-terraform-state', key: 'flags/search/prod/us-west-2/flag.tfstate' },
    });
    expect(m1.stack.dependencies.map((stack) => stack.node.id)).toEqual(['search-prod-us-west-2-flag']);
  });

  it('reaches an S3-compatible state store from its backend and from the remote state it reads alike', () => {
    const store = { endpoint: 'https://minio.example.com:9000', usePathStyle: true };
    const synth = synthCell(searchProd, { ...org, state: { ...org.state, ...store } }, 'm1');
    const settings = {
      endpoints: { s3: store.endpoint },
      use_path_style: true,
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
    };
    expect(synth.tf.terraform.backend.s3).toEqual({
      bucket: 'kitt-terraform-state',
      region: 'us-east-1',
      key: 'flags/search/prod/us-west-2/cell-m1.tfstate',
      encrypt: true,
      use_lockfile: true,
      ...settings,
    });
    // terraform_remote_state ignores -backend-config: the settings must be in the block itself.
    expect(synth.tf.data?.terraform_remote_state?.['cross-stack-reference-input-search-prod-us-west-2-flag']).toEqual({
      backend: 's3',
      config: {
        bucket: 'kitt-terraform-state',
        region: 'us-east-1',
        key: 'flags/search/prod/us-west-2/flag.tfstate',
        encrypt: true,
        ...settings,
      },
      workspace: '${terraform.workspace}',
    });
  });

  it('keeps its state under the cell key with S3 locking, and tags everything as the cell layer', () => {
    expect(m1.tf.terraform.backend.s3).toMatchObject({
      key: 'flags/search/prod/us-west-2/cell-m1.tfstate',
      use_lockfile: true,
    });
    expect(m1.tf.provider.aws[0]).toMatchObject({
      allowed_account_ids: ['333333333333'],
      default_tags: [{ tags: expect.objectContaining({ 'kitt:layer': 'cell' }) }],
    });
  });

  it('outputs the API endpoint, the cluster name and the CA certificate parameter under stable names', () => {
    expect(Object.keys(m1.tf.output).sort()).toEqual(Object.values(CELL_OUTPUT_NAMES).sort());
    expect(m1.tf.output.api_endpoint?.value).toBe(`https://${ref('aws_route53_record', 'record-api', 'fqdn')}:6443`);
    expect(m1.tf.output.ca_certificate_parameter_name?.value).toBe('/kitt/search-prod-us-west-2/m1/ca.crt');
    expect(m1.stack.outputs.clusterName).toBe('search-prod-us-west-2-m1');
  });

  it('refuses a cell the FLAG does not have', () => {
    expect(() => synthCell(searchProd, org, 'zz')).toThrow(expect.objectContaining({ code: 'CELL_UNKNOWN' }));
  });

  it('refuses a stack id other than <flag-id>-cell-<cell>', () => {
    const app = new App();
    const plan = planNetwork(networkInputOf(searchProd));
    const flagStack = new FlagStack(app, stackName(searchProd, 'flag'), { flag: searchProd, org, plan });
    expect(
      () => new CellStack(app, 'm1', { flag: searchProd, org, plan, cell: 'm1', flagOutputs: flagStack.outputs }),
    ).toThrow(expect.objectContaining({ code: 'STACK_NAME_MISMATCH', expected: 'search-prod-us-west-2-cell-m1' }));
  });

  it("refuses another FLAG's plan", () => {
    const otherPlan = planNetwork(networkInputOf(paymentsProd));
    expect(() => synthCell(searchProd, org, 'm1', { plan: otherPlan })).toThrow(
      expect.objectContaining({ code: 'PLAN_MISMATCH', received: '10.0.0.0/16', expected: '10.2.0.0/16' }),
    );
  });

  it('refuses flag stack outputs without the private zone of its API record', () => {
    const { privateZoneId: _zone, ...withoutZone } = m1.flagStack.outputs;
    expect(() => synthCell(searchProd, org, 'm1', { flagOutputs: withoutZone })).toThrow(
      expect.objectContaining({ code: 'FLAG_OUTPUT_MISSING' }),
    );
  });

  it('refuses flag stack outputs that lack a subnet of the plan', () => {
    const outputs = { ...m1.flagStack.outputs, subnetIds: {} };
    expect(() => synthCell(searchProd, org, 'm1', { flagOutputs: outputs })).toThrow(
      expect.objectContaining({ code: 'FLAG_OUTPUT_MISSING', received: '10.2.192.0/24' }),
    );
  });

  it('refuses a FLAG with cells when org.yaml has no domain', () => {
    const { domain: _domain, ...noDomain } = org;
    const app = new App();
    const plan = planNetwork(networkInputOf(searchProd));
    const flagStack = new FlagStack(app, stackName(searchProd, 'flag'), { flag: searchProd, org: noDomain, plan });
    const build = () =>
      new CellStack(app, stackName(searchProd, 'cell', 'm1'), {
        flag: searchProd,
        org: noDomain,
        plan,
        cell: 'm1',
        flagOutputs: flagStack.outputs,
      });
    expect(build).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ code: 'CELL_DOMAIN_MISSING' })] }),
    );
  });
});
