import {
  cellApiDomain,
  cellKmsAliasName,
  cellSsmPrefix,
  cellTags,
  clusterAutoscalerTags,
  clusterCaCertificateParameterName,
  clusterName,
  clusterTokenArgs,
  controlPlaneInstanceTags,
  kubernetesClusterTag,
} from '.';

const search = { id: 'search-prod-us-west-2', customer: 'search', environment: 'prod', region: 'us-west-2' };

describe('cell names', () => {
  it('names the cluster of a cell <flag-id>-<cell>', () => {
    expect(clusterName(search, 'm1')).toBe('search-prod-us-west-2-m1');
  });

  it("puts the API endpoint under the FLAG's zone: api.<cell>.<flag-id>.<domain>", () => {
    expect(cellApiDomain(search, 'm1', 'kitt.example.com')).toBe('api.m1.search-prod-us-west-2.kitt.example.com');
  });

  it('keeps the SSM parameters of a cell under /kitt/<flag-id>/<cell>/, the CA certificate at ca.crt where workers may read it', () => {
    expect(cellSsmPrefix(search, 'm1')).toBe('/kitt/search-prod-us-west-2/m1/');
    expect(clusterCaCertificateParameterName(search, 'm1')).toBe('/kitt/search-prod-us-west-2/m1/ca.crt');
  });

  it('names the cell key alias/kitt-<flag-id>-<cell>', () => {
    expect(cellKmsAliasName(search, 'm1')).toBe('alias/kitt-search-prod-us-west-2-m1');
  });

  it('tags cell resources with the FLAG and the cell, so equal cell names of two FLAGs stay apart', () => {
    expect(cellTags(search, 'm1')).toEqual({ 'kitt:flag': 'search-prod-us-west-2', 'kitt:cell': 'm1' });
  });

  it("finds a cell's control-plane instances by its cell tags and kitt:node-role=control-plane", () => {
    expect(controlPlaneInstanceTags(search, 'm1')).toEqual({
      'kitt:flag': 'search-prod-us-west-2',
      'kitt:cell': 'm1',
      'kitt:node-role': 'control-plane',
    });
  });

  it('tags for Kubernetes and cluster-autoscaler discovery', () => {
    expect(kubernetesClusterTag('c')).toEqual({ 'kubernetes.io/cluster/c': 'owned' });
    expect(clusterAutoscalerTags('c')).toEqual({
      'k8s.io/cluster-autoscaler/enabled': 'true',
      'k8s.io/cluster-autoscaler/c': 'owned',
    });
  });
});

describe('clusterTokenArgs', () => {
  it('asks aws eks get-token for a JSON ExecCredential of the cluster, signed in its region', () => {
    expect(clusterTokenArgs('search-prod-us-west-2-m1', 'us-west-2')).toEqual([
      'eks',
      'get-token',
      '--cluster-name',
      'search-prod-us-west-2-m1',
      '--region',
      'us-west-2',
      '--output',
      'json',
    ]);
  });

  it('with a role ARN, has the CLI assume it for the token', () => {
    const role = 'arn:aws:iam::111111111111:role/kitt-admin';
    expect(clusterTokenArgs('c', 'us-east-1', role)).toEqual([
      ...['eks', 'get-token', '--cluster-name', 'c', '--region', 'us-east-1'],
      ...['--role-arn', role, '--output', 'json'],
    ]);
  });
});
