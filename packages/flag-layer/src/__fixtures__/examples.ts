import { planNetwork, type NetworkPlan } from '@kitt/allocator';
import { networkInputOf, type Flag, type OrgConfig } from '@kitt/flag-config';
import { NETWORK_DEFAULTS, flagValue } from '@kitt/flag-config/src/__fixtures__/flag-values';

/** `flags/org.yaml` of the examples: one state bucket, a domain, default retention. */
export const org: OrgConfig = {
  pool: ['10.0.0.0/8'],
  state: { bucket: 'kitt-terraform-state', region: 'us-east-1' },
  domain: 'kitt.example.com',
  flowLogRetentionDays: 90,
  amis: {},
  accounts: {},
  environments: {},
};

/** The same org without a domain: no certificate, no private zone. */
export const orgWithoutDomain: OrgConfig = (({ domain: _domain, ...rest }) => rest)(org);


/** Three zones, single-AZ cells a1, b1, c1 in slot 1 of each zone. */
export const paymentsProd = flagValue('payments', 'prod', 'us-east-1', {
  aws: { accountId: '111111111111' },
  network: { ...NETWORK_DEFAULTS, vpcCidr: '10.0.0.0/16', zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] },
  topology: 'single-az',
  cells: [
    { name: 'a1', zone: 'us-east-1a', slot: 1 },
    { name: 'b1', zone: 'us-east-1b', slot: 1 },
    { name: 'c1', zone: 'us-east-1c', slot: 1 },
  ],
});

/** Two zones, one single-AZ cell. */
export const paymentsDev = flagValue('payments', 'dev', 'eu-west-2', {
  aws: { accountId: '222222222222' },
  network: { ...NETWORK_DEFAULTS, vpcCidr: '10.1.0.0/16', zones: ['eu-west-2a', 'eu-west-2b'] },
  topology: 'single-az',
  cells: [{ name: 'a1', zone: 'eu-west-2a', slot: 1 }],
});

/** Three zones, one multi-AZ cell. */
export const searchProd = flagValue('search', 'prod', 'us-west-2', {
  aws: { accountId: '333333333333' },
  network: { ...NETWORK_DEFAULTS, vpcCidr: '10.2.0.0/16', zones: ['us-west-2a', 'us-west-2b', 'us-west-2c'] },
  topology: 'multi-az',
  cells: [{ name: 'm1', slot: 1 }],
});

export const examples: readonly Flag[] = [paymentsProd, paymentsDev, searchProd];

/** The FLAG's network plan, from the allocator. */
export function planOf(flag: Flag): NetworkPlan {
  return planNetwork(networkInputOf(flag));
}
