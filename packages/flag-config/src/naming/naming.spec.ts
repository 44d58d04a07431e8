import { createHash } from 'node:crypto';
import { KittError } from '../kitt-error';
import type { FlagIdentity } from '../types';
import { awsPartition, blockSlug, defaultTags, loadBalancerName, shortName, stackName, stateKey, subnetTags } from '.';

const paymentsProd: FlagIdentity = {
  id: 'payments-prod-us-east-1',
  customer: 'payments',
  environment: 'prod',
  region: 'us-east-1',
};

describe('stackName', () => {
  it('names the flag stack <flag-id>-flag', () => {
    expect(stackName(paymentsProd, 'flag')).toBe('payments-prod-us-east-1-flag');
  });

  it('names cell and addons stacks after their cell', () => {
    expect(stackName(paymentsProd, 'cell', 'a1')).toBe('payments-prod-us-east-1-cell-a1');
    expect(stackName(paymentsProd, 'addons', 'a1')).toBe('payments-prod-us-east-1-addons-a1');
  });

  it('refuses a cell layer without a cell', () => {
    expect(() => stackName(paymentsProd, 'cell')).toThrow(expect.objectContaining({ code: 'LAYER_CELL_MISMATCH' }));
  });

  it('refuses a cell for the flag layer', () => {
    expect(() => stackName(paymentsProd, 'flag', 'a1')).toThrow(KittError);
  });
});

describe('stateKey', () => {
  it('keys the flag state by customer, environment and region', () => {
    expect(stateKey(paymentsProd, 'flag')).toBe('flags/payments/prod/us-east-1/flag.tfstate');
  });

  it('keys a cell layer state by its cell', () => {
    expect(stateKey(paymentsProd, 'addons', 'b1')).toBe('flags/payments/prod/us-east-1/addons-b1.tfstate');
  });
});

describe('shortName', () => {
  it('keeps a name that fits', () => {
    expect(shortName('payments-prod-us-east-1-api', 32)).toBe('payments-prod-us-east-1-api');
  });

  it('shortens a long name to the limit with a hash of the whole name', () => {
    const name = 'payments-prod-ap-southeast-2-cell-a1-api';
    const short = shortName(name, 32);
    const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
    expect(short).toBe(`payments-prod-ap-southe-${hash}`);
  });

  it('gives the same short name on every run', () => {
    expect(shortName('a'.repeat(40), 32)).toBe(shortName('a'.repeat(40), 32));
  });

  it('gives different short names to names that differ only past the limit', () => {
    const head = 'payments-prod-ap-southeast-2-cell-';
    expect(shortName(`${head}a1`, 32)).not.toBe(shortName(`${head}b1`, 32));
  });

  it('does not double the hyphen before the hash', () => {
    const short = shortName('payments-prod-eu-west---cell-a1-api-lb', 32);
    expect(short).toMatch(/^payments-prod-eu-west-[0-9a-f]{8}$/);
  });

  it('names load balancers within 32 characters', () => {
    expect(
      loadBalancerName({ ...paymentsProd, id: 'searchplatform-staging-ap-southeast-2' }, 'cell', 'a1', 'api').length,
    ).toBeLessThanOrEqual(32);
  });
});

describe('tags', () => {
  it('tags every resource with customer, environment, region, layer and manager', () => {
    expect(defaultTags(paymentsProd, 'flag')).toEqual({
      'kitt:customer': 'payments',
      'kitt:environment': 'prod',
      'kitt:region': 'us-east-1',
      'kitt:layer': 'flag',
      'kitt:managed-by': 'kitt',
    });
  });

  it('names and tags a cell subnet with its kind, zone and cell', () => {
    const block = {
      name: 'us-east-1a/slot1/worker',
      kind: 'worker',
      cidr: '10.0.193.0/24',
      zone: 'us-east-1a',
      cell: 'a1',
    } as const;
    expect(blockSlug(block)).toBe('us-east-1a-slot1-worker');
    expect(subnetTags(paymentsProd, block)).toEqual({
      Name: 'payments-prod-us-east-1-us-east-1a-slot1-worker',
      'kitt:subnet-kind': 'worker',
      'kitt:zone': 'us-east-1a',
      'kitt:cell': 'a1',
    });
  });

  it('gives a per-zone subnet no cell tag', () => {
    const block = {
      name: 'us-east-1a/data',
      kind: 'data',
      cidr: '10.0.0.0/20',
      zone: 'us-east-1a',
      cell: null,
    } as const;
    expect(subnetTags(paymentsProd, block)).not.toHaveProperty(['kitt:cell']);
  });
});

describe('awsPartition', () => {
  it('knows the China and GovCloud partitions', () => {
    expect([awsPartition('us-east-1'), awsPartition('cn-north-1'), awsPartition('us-gov-west-1')]).toEqual([
      'aws',
      'aws-cn',
      'aws-us-gov',
    ]);
  });
});
