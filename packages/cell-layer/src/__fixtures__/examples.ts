import type { OrgConfig } from '@kitt/flag-config';
import { NETWORK_DEFAULTS, flagValue } from '@kitt/flag-config/src/__fixtures__/flag-values';

/** `flags/org.yaml` of the examples: a domain, an AMI per region, the accounts' plan and apply roles. */
export const org: OrgConfig = {
  pool: ['10.0.0.0/8'],
  state: { bucket: 'kitt-terraform-state', region: 'us-east-1' },
  domain: 'kitt.example.com',
  flowLogRetentionDays: 90,
  amis: {
    'us-east-1': 'ami-0123456789abcdef0',
    'us-west-2': '/aws/service/debian/release/12/latest/amd64',
  },
  accounts: {
    '111111111111': {
      planRoleArn: 'arn:aws:iam::111111111111:role/kitt-plan',
      applyRoleArn: 'arn:aws:iam::111111111111:role/kitt-apply',
    },
    '333333333333': {
      planRoleArn: 'arn:aws:iam::333333333333:role/kitt-plan',
      applyRoleArn: 'arn:aws:iam::333333333333:role/kitt-apply',
    },
  },
  environments: {},
};


/** Three zones, single-AZ cells a1 (defaults) and b1 (its own settings), a team. */
export const paymentsProd = flagValue('payments', 'prod', 'us-east-1', {
  aws: { accountId: '111111111111' },
  network: { ...NETWORK_DEFAULTS, vpcCidr: '10.0.0.0/16', zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] },
  topology: 'single-az',
  cells: [
    { name: 'a1', zone: 'us-east-1a', slot: 1 },
    {
      name: 'b1',
      zone: 'us-east-1b',
      slot: 1,
      kubernetesVersion: '1.33.6',
      workerInstanceTypes: ['m7i.2xlarge', 'm6i.2xlarge'],
      workerMinSize: 3,
      workerMaxSize: 30,
      etcdVolumeSizeGiB: 40,
    },
  ],
  teams: [{ name: 'checkout', roleArns: ['arn:aws:iam::111111111111:role/checkout-developers'] }],
});

/** Three zones, one multi-AZ cell m1 and its replacement m2 in slot 2. */
export const searchProd = flagValue('search', 'prod', 'us-west-2', {
  aws: { accountId: '333333333333' },
  network: { ...NETWORK_DEFAULTS, vpcCidr: '10.2.0.0/16', zones: ['us-west-2a', 'us-west-2b', 'us-west-2c'] },
  topology: 'multi-az',
  cells: [
    { name: 'm1', slot: 1 },
    { name: 'm2', slot: 2 },
  ],
});
