import { App, Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { SUBNET_KINDS } from '@kitt/allocator';
import { org, orgWithoutDomain, paymentsDev, paymentsProd, planOf, searchProd } from './__fixtures__/examples';
import { flagConfig, resourcesOf, synthFlag, type SynthesizedFlag } from './__fixtures__/synth';
import { FlagStack } from './flag-stack';
import { FLAG_OUTPUT_NAMES } from './outputs';

Testing.setupJest();

// One synth per configuration, shared by the tests that only read it.
const prod: SynthesizedFlag = synthFlag(flagConfig(paymentsProd));
const search: SynthesizedFlag = synthFlag(flagConfig(searchProd));

const ref = (type: string, name: string, attribute = 'id') => `\${${type}.${name}.${attribute}}`;

describe('FlagStack network', () => {
  it.each([paymentsProd, searchProd])('makes every real subnet of the plan of $id in its zone', (flag) => {
    const { json } = flag === paymentsProd ? prod : search;
    const realBlocks = planOf(flag).blocks.filter((block) => SUBNET_KINDS.includes(block.kind));
    for (const block of realBlocks) {
      expect(json).toHaveResourceWithProperties(Subnet, { cidr_block: block.cidr, availability_zone: block.zone });
    }
    expect(Object.keys(resourcesOf(JSON.parse(json), 'aws_subnet'))).toHaveLength(realBlocks.length);
  });

  it('makes no subnet for a service network', () => {
    const serviceCidrs = planOf(paymentsProd)
      .blocks.filter((block) => block.kind === 'service')
      .map((block) => block.cidr);
    const subnetCidrs = Object.values(resourcesOf(prod.tf, 'aws_subnet')).map((subnet) => subnet.cidr_block);
    expect(serviceCidrs.length).toBeGreaterThan(0);
    expect(subnetCidrs.filter((cidr) => serviceCidrs.includes(cidr as string))).toEqual([]);
  });

  it('gives the VPC its plan CIDR with DNS support and hostnames', () => {
    expect(prod.json).toHaveResourceWithProperties(Vpc, {
      cidr_block: '10.0.0.0/16',
      enable_dns_support: true,
      enable_dns_hostnames: true,
    });
  });

  it('tags subnets with kind and cell, and marks public and worker subnets for Kubernetes load balancers', () => {
    const subnets = resourcesOf(prod.tf, 'aws_subnet');
    expect(subnets['subnet-us-east-1b-slot1-worker']?.tags).toEqual({
      Name: 'payments-prod-us-east-1-us-east-1b-slot1-worker',
      'kitt:subnet-kind': 'worker',
      'kitt:zone': 'us-east-1b',
      'kitt:cell': 'b1',
      'kubernetes.io/role/internal-elb': '1',
    });
    expect(subnets['subnet-us-east-1b-public']?.tags).toMatchObject({
      'kitt:subnet-kind': 'public',
      'kubernetes.io/role/elb': '1',
    });
    expect(subnets['subnet-us-east-1b-data']?.tags).not.toHaveProperty(['kubernetes.io/role/elb']);
  });

  it('puts one NAT gateway with its Elastic IP in the public subnet of each zone', () => {
    const nats = resourcesOf(prod.tf, 'aws_nat_gateway');
    expect(Object.keys(nats)).toHaveLength(3);
    for (const zone of paymentsProd.network.zones) {
      expect(nats[`nat-${zone}`]).toMatchObject({
        subnet_id: ref('aws_subnet', `subnet-${zone}-public`),
        allocation_id: ref('aws_eip', `eip-nat-${zone}`, 'allocation_id'),
      });
    }
  });

  it('routes public subnets to the internet gateway and node and compute subnets to the NAT of their zone', () => {
    const routes = Object.values(resourcesOf(prod.tf, 'aws_route'));
    const associations = resourcesOf(prod.tf, 'aws_route_table_association');
    const defaultRouteOf = (subnet: string) => {
      const table = associations[`rta-${subnet}`]?.route_table_id;
      return routes.find((route) => route.route_table_id === table && route.destination_cidr_block === '0.0.0.0/0');
    };
    expect(defaultRouteOf('us-east-1a-public')).toMatchObject({ gateway_id: ref('aws_internet_gateway', 'igw') });
    for (const subnet of ['us-east-1b-slot1-management', 'us-east-1b-slot1-worker', 'us-east-1b-compute']) {
      expect(defaultRouteOf(subnet)).toMatchObject({ nat_gateway_id: ref('aws_nat_gateway', 'nat-us-east-1b') });
    }
  });

  it('gives data and cache subnets no route out of the VPC', () => {
    const tables = resourcesOf(prod.tf, 'aws_route_table');
    const routedTables = Object.values(resourcesOf(prod.tf, 'aws_route')).map((route) => route.route_table_id);
    const isolated = Object.values(resourcesOf(prod.tf, 'aws_route_table_association')).filter((association) =>
      /-(data|cache)\.id\}$/.test(String(association.subnet_id)),
    );
    expect(isolated).toHaveLength(6);
    for (const association of isolated) {
      expect(routedTables).not.toContain(association.route_table_id);
      expect(association.route_table_id).toMatch(/^\$\{aws_route_table\.rt-(data|cache)\.id\}$/);
    }
    expect(tables['rt-data']).not.toHaveProperty('route');
    expect(tables['rt-cache']).not.toHaveProperty('route');
  });

  it('serves S3 through a gateway endpoint on the NAT-routed route tables', () => {
    expect(prod.json).toHaveResourceWithProperties(VpcEndpoint, {
      service_name: 'com.amazonaws.us-east-1.s3',
      vpc_endpoint_type: 'Gateway',
      route_table_ids: paymentsProd.network.zones.map((zone) => ref('aws_route_table', `rt-private-${zone}`)),
    });
  });
});

describe('FlagStack network ACLs', () => {
  const acls = resourcesOf(prod.tf, 'aws_network_acl');

  it('guards the data subnets with datastore ports from node and compute ranges only', () => {
    const ingress = acls['nacl-data']?.ingress as {
      cidr_block: string;
      from_port: number;
      to_port: number;
      action: string;
    }[];
    expect(new Set(ingress.map((rule) => rule.from_port))).toEqual(new Set([5432, 3306]));
    expect(new Set(ingress.map((rule) => rule.cidr_block))).toEqual(
      new Set(['10.0.32.0/20', '10.0.80.0/20', '10.0.128.0/20', '10.0.192.0/23', '10.0.196.0/23', '10.0.200.0/23']),
    );
    expect(acls['nacl-data']?.subnet_ids).toEqual(
      paymentsProd.network.zones.map((zone) => ref('aws_subnet', `subnet-${zone}-data`)),
    );
  });

  it('guards the cache subnets with cache and messaging ports', () => {
    const ingress = acls['nacl-cache']?.ingress as { from_port: number; to_port: number }[];
    expect(new Set(ingress.map((rule) => `${rule.from_port}-${rule.to_port}`))).toEqual(
      new Set(['6379-6379', '11211-11211', '9092-9094']),
    );
  });

  it('allows nothing else: only allow rules, only TCP, never from anywhere, so the final rule denies the rest', () => {
    for (const acl of Object.values(acls)) {
      const rules = [...(acl.ingress as Record<string, unknown>[]), ...(acl.egress as Record<string, unknown>[])];
      expect(
        rules.every((rule) => rule.action === 'allow' && rule.protocol === 'tcp' && rule.cidr_block !== '0.0.0.0/0'),
      ).toBe(true);
    }
  });

  it('lets replies out on ephemeral ports only', () => {
    const egress = acls['nacl-data']?.egress as { from_port: number; to_port: number }[];
    expect(egress.every((rule) => rule.from_port === 1024 && rule.to_port === 65535)).toBe(true);
  });

  it('fails the synth with NACL_RULE_LIMIT when the ports would not fit', () => {
    const config = flagConfig(paymentsProd, org, { cachePorts: [6379, 11211, 9092, 9093, 9094] });
    expect(() => synthFlag(config)).toThrow(
      expect.objectContaining({ code: 'NACL_RULE_LIMIT', path: 'cachePorts', received: 30 }),
    );
  });

  it('refuses a port outside 1-65535', () => {
    expect(() => synthFlag(flagConfig(paymentsProd, org, { datastorePorts: [{ from: 5432, to: 70000 }] }))).toThrow(
      expect.objectContaining({ code: 'PORT_INVALID', path: 'datastorePorts[0]' }),
    );
  });
});

describe('FlagStack provider and backend', () => {
  it('only works in the FLAG account and region, with the kitt tags on everything', () => {
    expect(prod.json).toHaveProviderWithProperties(AwsProvider, {
      region: 'us-east-1',
      allowed_account_ids: ['111111111111'],
      default_tags: [
        {
          tags: {
            'kitt:customer': 'payments',
            'kitt:environment': 'prod',
            'kitt:region': 'us-east-1',
            'kitt:layer': 'flag',
            'kitt:managed-by': 'kitt',
          },
        },
      ],
    });
  });

  it('keeps its state encrypted in the org bucket under the FLAG key, with S3 locking', () => {
    expect(search.tf.terraform.backend.s3).toEqual({
      bucket: 'kitt-terraform-state',
      region: 'us-east-1',
      key: 'flags/search/prod/us-west-2/flag.tfstate',
      encrypt: true,
      use_lockfile: true,
    });
  });

  it('reaches an S3-compatible store at org.state.endpoint without asking STS, virtual-host style unless told', () => {
    const store = { ...org, state: { ...org.state, endpoint: 'https://s3.store.example.com' } };
    expect(synthFlag({ ...flagConfig(searchProd), org: store }).tf.terraform.backend.s3).toEqual({
      bucket: 'kitt-terraform-state',
      region: 'us-east-1',
      key: 'flags/search/prod/us-west-2/flag.tfstate',
      encrypt: true,
      use_lockfile: true,
      endpoints: { s3: 'https://s3.store.example.com' },
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
    });
  });

  it('refuses a stack id other than <flag-id>-flag', () => {
    expect(() => new FlagStack(new App(), 'payments', flagConfig(paymentsProd))).toThrow(
      expect.objectContaining({ code: 'STACK_NAME_MISMATCH', expected: 'payments-prod-us-east-1-flag' }),
    );
  });

  it("refuses another FLAG's plan", () => {
    expect(() => synthFlag({ ...flagConfig(paymentsProd), plan: planOf(paymentsDev) })).toThrow(
      expect.objectContaining({ code: 'PLAN_MISMATCH', path: 'network.vpcCidr' }),
    );
  });
});

describe('FlagStack administrative constructs', () => {
  it('sends flow logs of the VPC to a log group kept as long as org.yaml says', () => {
    const { json } = synthFlag(flagConfig(paymentsDev, { ...org, flowLogRetentionDays: 30 }));
    expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: '/kitt/payments-dev-eu-west-2/vpc-flow-logs',
      retention_in_days: 30,
    });
    expect(json).toHaveResourceWithProperties(FlowLog, {
      vpc_id: ref('aws_vpc', 'vpc'),
      traffic_type: 'ALL',
      iam_role_arn: ref('aws_iam_role', 'flow-log-role', 'arn'),
    });
  });

  it('lets only the flow log service of the FLAG account assume the flow log role', () => {
    const role = resourcesOf(prod.tf, 'aws_iam_role')['flow-log-role'];
    expect(JSON.parse(String(role?.assume_role_policy))).toMatchObject({
      Statement: [
        {
          Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
        },
      ],
    });
  });

  it('makes the three base security groups', () => {
    expect(Object.values(resourcesOf(prod.tf, 'aws_security_group')).map((group) => group.name)).toEqual(
      expect.arrayContaining([
        'payments-prod-us-east-1-cluster-nodes',
        'payments-prod-us-east-1-datastore-clients',
        'payments-prod-us-east-1-api-lb',
      ]),
    );
  });

  it('makes a DNS-validated wildcard certificate and a private zone when org.yaml names a domain', () => {
    expect(prod.json).toHaveResourceWithProperties(AcmCertificate, {
      domain_name: '*.payments-prod-us-east-1.kitt.example.com',
      validation_method: 'DNS',
    });
    expect(prod.json).toHaveResourceWithProperties(Route53Zone, {
      name: 'payments-prod-us-east-1.kitt.example.com',
      vpc: [{ vpc_id: ref('aws_vpc', 'vpc') }],
    });
    expect(prod.tf.data?.aws_route53_zone?.['public-zone']).toEqual({ name: 'kitt.example.com', private_zone: false });
  });

  it('makes no certificate and no zone without a domain', () => {
    const { json, tf } = synthFlag(flagConfig(paymentsProd, orgWithoutDomain));
    expect(json).not.toHaveResource(AcmCertificate);
    expect(json).not.toHaveResource(Route53Zone);
    expect(tf.output).not.toHaveProperty(FLAG_OUTPUT_NAMES.certificateArn);
  });
});

describe('FlagStack outputs', () => {
  it('outputs everything the cell layer needs under stable names', () => {
    expect(Object.keys(prod.tf.output).sort()).toEqual(Object.values(FLAG_OUTPUT_NAMES).sort());
    expect(prod.tf.output.vpc_id?.value).toBe(ref('aws_vpc', 'vpc'));
    expect(prod.tf.output.certificate_arn?.value).toBe(
      ref('aws_acm_certificate_validation', 'certificate-validation', 'certificate_arn'),
    );
  });

  it('gives subnet ids by kind and zone, and by plan block name', () => {
    const byKind = search.tf.output.subnet_ids_by_kind?.value as Record<string, Record<string, string[]>>;
    expect(byKind.worker?.['us-west-2c']).toEqual([ref('aws_subnet', 'subnet-us-west-2c-slot1-worker')]);
    expect(Object.keys(byKind).sort()).toEqual([...SUBNET_KINDS].sort());
    expect((search.tf.output.subnet_ids?.value as Record<string, string>)['us-west-2a/data']).toBe(
      ref('aws_subnet', 'subnet-us-west-2a-data'),
    );
  });

  it('exposes the same values as typed references on the stack', () => {
    expect(prod.stack.outputs.natPublicIps).toHaveProperty(['us-east-1c']);
    expect(Object.keys(prod.stack.outputs.subnetIds)).toHaveLength(18);
  });
});
