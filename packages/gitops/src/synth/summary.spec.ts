import { countResources, renderSynthSummary } from './summary';
import type { SynthResult } from './types';

describe('countResources', () => {
  it('counts managed resources by Terraform type, types sorted', () => {
    const config = { resource: { aws_subnet: { a: {}, b: {} }, aws_eip: { a: {} } }, data: { aws_region: { r: {} } } };
    expect(Object.entries(countResources(config))).toEqual([
      ['aws_eip', 1],
      ['aws_subnet', 2],
    ]);
  });

  it('counts nothing in a config without resources', () => {
    expect(countResources({ output: {} })).toEqual({});
  });
});

describe('renderSynthSummary', () => {
  const result: SynthResult = {
    flagId: 'payments-prod-us-east-1',
    flagDir: 'flags/payments/prod/us-east-1',
    outDir: '/repo/cdktf.out/payments-prod-us-east-1',
    stacks: [
      {
        name: 'payments-prod-us-east-1-flag',
        layer: 'flag',
        dependsOn: [],
        configFile: 'stacks/payments-prod-us-east-1-flag/cdk.tf.json',
        configHash: 'ab'.repeat(32),
        resourceCounts: { aws_subnet: 16, aws_vpc: 1 },
      },
      {
        name: 'payments-prod-us-east-1-cell-a1',
        layer: 'cell',
        cell: 'a1',
        dependsOn: ['payments-prod-us-east-1-flag'],
        configFile: 'stacks/payments-prod-us-east-1-cell-a1/cdk.tf.json',
        configHash: 'cd'.repeat(32),
        resourceCounts: { aws_instance: 1 },
      },
    ],
  };

  it('prints a ✓ line for the FLAG, then each stack with its total, dependencies, short hash and resources by type', () => {
    expect(renderSynthSummary(result, 'cdktf.out/payments-prod-us-east-1')).toBe(
      [
        '✓ flags/payments/prod/us-east-1 → cdktf.out/payments-prod-us-east-1',
        '  payments-prod-us-east-1-flag (flag): 17 resources, sha256 abababababab',
        '    aws_subnet 16, aws_vpc 1',
        '  payments-prod-us-east-1-cell-a1 (cell, after payments-prod-us-east-1-flag): 1 resource, sha256 cdcdcdcdcdcd',
        '    aws_instance 1',
        '',
      ].join('\n'),
    );
  });

  it('wraps a long list of resource types at 100 characters', () => {
    const many = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`aws_resource_type_${String(i).padStart(2, '0')}`, 1]),
    );
    const [flagStack] = result.stacks;
    const text = renderSynthSummary({ ...result, stacks: [{ ...flagStack!, resourceCounts: many }] }, 'out');
    const typeLines = text.split('\n').filter((line) => line.startsWith('    '));
    expect(typeLines.length).toBeGreaterThan(1);
    for (const line of typeLines) expect(line.length).toBeLessThanOrEqual(100);
    expect(typeLines.join(' ')).toContain('aws_resource_type_19 1');
  });
});
