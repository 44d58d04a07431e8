import type { CellInput, NetworkInput } from '../types';

/** Test inputs: defaults filled in as flag-config would, overridable per test. */
export function networkInput(overrides: Partial<NetworkInput> = {}): NetworkInput {
  return {
    vpcCidr: '10.0.0.0/16',
    zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    podCidr: '100.64.0.0/16',
    nodePodPrefix: 24,
    reserved: [],
    topology: 'single-az',
    cells: [],
    ...overrides,
  };
}

/** Every slot of a three-zone single-AZ grid filled, named by zone letter and slot like `kitt new` does. */
export const FULL_SINGLE_AZ_CELLS: readonly CellInput[] = (['a', 'b', 'c'] as const).flatMap((letter) =>
  ([1, 2] as const).map((slot) => ({ name: `${letter}${slot}`, zone: `us-east-1${letter}`, slot })),
);

export interface GoldenExample {
  readonly identity: { readonly id: string; readonly customer: string; readonly environment: string; readonly region: string };
  readonly input: NetworkInput;
}

function identity(customer: string, environment: string, region: string): GoldenExample['identity'] {
  return { id: `${customer}-${environment}-${region}`, customer, environment, region };
}

/** The three golden examples; their plans live beside this file as `<name>.plan.json`. */
export const GOLDEN_EXAMPLES: Readonly<Record<string, GoldenExample>> = {
  'three-zone-single-az': {
    identity: identity('payments', 'prod', 'us-east-1'),
    input: networkInput({
      vpcCidr: '10.16.0.0/16',
      reserved: ['192.168.0.0/16'],
      cells: [
        { name: 'alpha', zone: 'us-east-1a', slot: 1 },
        { name: 'bravo', zone: 'us-east-1b', slot: 1 },
        { name: 'charlie', zone: 'us-east-1c', slot: 1 },
        { name: 'delta', zone: 'us-east-1a', slot: 2 },
      ],
    }),
  },
  'two-zone-single-az': {
    identity: identity('payments', 'staging', 'eu-west-1'),
    input: networkInput({
      vpcCidr: '10.17.0.0/16',
      zones: ['eu-west-1a', 'eu-west-1b'],
      cells: [
        { name: 'a1', zone: 'eu-west-1a', slot: 1 },
        { name: 'b1', zone: 'eu-west-1b', slot: 1 },
      ],
    }),
  },
  'three-zone-multi-az': {
    identity: identity('search', 'prod', 'us-west-2'),
    input: networkInput({
      vpcCidr: '172.20.0.0/16',
      topology: 'multi-az',
      zones: ['us-west-2a', 'us-west-2b', 'us-west-2c'],
      cells: [{ name: 'm1', slot: 1 }],
    }),
  },
};
