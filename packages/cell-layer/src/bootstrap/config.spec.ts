import { BootstrapConfigError, BOOTSTRAP_CONFIG_INVALID } from './config';
import { renderUserData } from './index';
import { configWith, exampleConfig } from './__fixtures__/example-config';
import type { CellBootstrapConfig, NodeRole } from './index';

/** The error renderUserData throws, or a failure if it renders. */
function errorOf(config: CellBootstrapConfig, role: NodeRole = 'worker', member?: number): BootstrapConfigError {
  try {
    renderUserData(role, config, member);
  } catch (error) {
    if (error instanceof BootstrapConfigError) return error;
    throw error;
  }
  throw new Error('rendered user data for a bad config');
}

describe('bootstrap config validation', () => {
  it('renders the example config for every role', () => {
    expect(() => renderUserData('etcd', exampleConfig, 0)).not.toThrow();
    expect(() => renderUserData('control-plane', exampleConfig)).not.toThrow();
    expect(() => renderUserData('worker', exampleConfig)).not.toThrow();
  });

  it('refuses a CIDR with host bits as an input error coded BOOTSTRAP_CONFIG_INVALID naming serviceCidr', () => {
    const error = errorOf(configWith({ serviceCidr: '10.0.144.5/21' }));
    expect(error).toMatchObject({ code: BOOTSTRAP_CONFIG_INVALID, kind: 'input', fields: ['serviceCidr'] });
    expect(error.message).toContain('serviceCidr: expected an IPv4 CIDR');
  });

  it('refuses a malformed pod CIDR naming podCidr', () => {
    expect(errorOf(configWith({ podCidr: '100.64.0.0/33' })).fields).toEqual(['podCidr']);
  });

  it('refuses a DNS service IP outside the service network naming dnsServiceIp', () => {
    expect(errorOf(configWith({ dnsServiceIp: '10.0.160.10' })).fields).toEqual(['dnsServiceIp']);
  });

  it('refuses a malformed API service IP naming apiServiceIp', () => {
    expect(errorOf(configWith({ apiServiceIp: '10.0.144.01' })).fields).toEqual(['apiServiceIp']);
  });

  it('refuses a node pod prefix no longer than the pod network naming nodePodPrefix', () => {
    expect(errorOf(configWith({ nodePodPrefix: 16 })).fields).toEqual(['nodePodPrefix']);
  });

  it('refuses two etcd members naming etcdMembers', () => {
    expect(errorOf(configWith({ etcdMembers: exampleConfig.etcdMembers.slice(0, 2) })).fields).toEqual(['etcdMembers']);
  });

  it('refuses a malformed etcd member address naming its index', () => {
    const members = exampleConfig.etcdMembers.map((m) => (m.index === 2 ? { ...m, ip: '10.0.200.256' } : m));
    expect(errorOf(configWith({ etcdMembers: members })).fields).toEqual(['etcdMembers[2].ip']);
  });

  it('refuses an etcd node without a member index naming etcdMemberIndex', () => {
    expect(errorOf(exampleConfig, 'etcd').fields).toEqual(['etcdMemberIndex']);
  });

  it('refuses an etcd member index outside 0 to 2 naming etcdMemberIndex', () => {
    expect(errorOf(exampleConfig, 'etcd', 3).fields).toEqual(['etcdMemberIndex']);
  });

  it('refuses an unknown node role naming role', () => {
    expect(errorOf(exampleConfig, 'bastion' as NodeRole).fields).toEqual(['role']);
  });

  it('refuses a member index on a node that is not etcd naming etcdMemberIndex', () => {
    expect(errorOf(exampleConfig, 'worker', 1).fields).toEqual(['etcdMemberIndex']);
  });

  it('refuses an API endpoint with shell metacharacters before it reaches a script', () => {
    expect(errorOf(configWith({ apiEndpoint: "api.a.example.com';reboot;'" })).fields).toEqual(['apiEndpoint']);
  });

  it('refuses an SSM prefix other than /kitt/<flag-id>/<cell>/ naming ssmPrefix', () => {
    expect(errorOf(configWith({ ssmPrefix: '/kitt/acme-prod-eu-west-1/b/' })).fields).toEqual(['ssmPrefix']);
  });

  it('refuses a role ARN that is not an IAM role naming its list and position', () => {
    expect(errorOf(configWith({ readOnlyRoleArns: ['arn:aws:iam::111122223333:user/alice'] })).fields).toEqual([
      'readOnlyRoleArns[0]',
    ]);
  });

  it('refuses a team name that would not make a Kubernetes group naming teams[i].name', () => {
    expect(errorOf(configWith({ teams: [{ name: 'Pay Ments', roleArns: [] }] })).fields).toEqual(['teams[0].name']);
  });

  it('refuses a Kubernetes version before 1.31, whose kubeadm lacks the v1beta4 configuration', () => {
    expect(errorOf(configWith({ kubernetesVersion: '1.30.2' })).fields).toEqual(['kubernetesVersion']);
  });

  it('refuses a region that is not the FLAG region naming region', () => {
    expect(errorOf(configWith({ region: 'eu-central-1' })).fields).toEqual(['region']);
  });

  it('refuses a snapshot bucket that is no S3 bucket name, as it lands in a script, naming etcdSnapshotBucket', () => {
    expect(errorOf(configWith({ etcdSnapshotBucket: "kitt'; rm -rf /" }), 'etcd', 0).fields).toEqual([
      'etcdSnapshotBucket',
    ]);
  });

  it('names every bad field in one error', () => {
    expect(errorOf(configWith({ cell: 'A', podCidr: 'x', kmsKeyAlias: 'kitt' })).fields).toEqual([
      'cell',
      'kmsKeyAlias',
      'podCidr',
    ]);
  });
});
