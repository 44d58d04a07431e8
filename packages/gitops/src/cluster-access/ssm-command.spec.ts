import { sendCommandArgs, shellLine } from './ssm-command';

describe('SSM Run Command arguments', () => {
  it('quotes every word that a shell would read otherwise, and leaves plain words bare', () => {
    expect(shellLine(['env', 'A=/etc/x', 'echo', "it's", '$HOME', 'a b'])).toBe(
      `env A=/etc/x echo 'it'\\''s' '$HOME' 'a b'`,
    );
  });

  it('runs the lines under set -eu with the cell region, on one instance, through AWS-RunShellScript', () => {
    const args = sendCommandArgs('i-0123456789abcdef0', ['true'], 'kitt roll: etcd health', 'eu-west-1');
    expect(args.slice(0, 10)).toEqual([
      'ssm',
      'send-command',
      '--region',
      'eu-west-1',
      '--instance-ids',
      'i-0123456789abcdef0',
      '--document-name',
      'AWS-RunShellScript',
      '--comment',
      'kitt roll: etcd health',
    ]);
    expect(JSON.parse(args[11] ?? '')).toEqual({
      commands: ['set -eu', 'export AWS_DEFAULT_REGION=eu-west-1', 'true'],
      executionTimeout: ['900'],
    });
  });
});
