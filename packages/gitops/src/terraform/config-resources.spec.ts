import { resourcesInConfig } from './config-resources';

describe('resourcesInConfig', () => {
  it('lists managed resource addresses, sorted, and leaves out data sources', () => {
    const config = {
      data: { aws_ami: { ubuntu: {} } },
      resource: { aws_vpc: { vpc: {} }, aws_subnet: { b: {}, a: {} } },
    };
    expect(resourcesInConfig(config)).toEqual(['aws_subnet.a', 'aws_subnet.b', 'aws_vpc.vpc']);
  });

  it('is empty for a config without resources', () => {
    expect(resourcesInConfig({ terraform: {} })).toEqual([]);
    expect(resourcesInConfig(null)).toEqual([]);
  });
});
