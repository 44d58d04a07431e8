import type { AwsRunner } from './aws-cli';
import { runOnInstance, runStep, sendCommandArgs, shellLine } from './ssm-command';

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

describe('runOnInstance', () => {
  const options = { region: 'eu-west-1', sleep: async () => undefined, pollMs: 0, maxPolls: 3 };
  const ID = '00000000-0000-4000-8000-000000000001';
  const aws =
    (invocations: string[]): AwsRunner =>
    async (args) => {
      if (args[1] === 'send-command') return `${ID}\n`;
      const next = invocations.shift();
      if (next === undefined) throw new Error('no more invocations');
      if (next === 'missing') throw new Error('An error occurred (InvocationDoesNotExist)');
      return next;
    };

  it('polls past a not-yet-existing and an in-progress invocation to the outcome', async () => {
    const done = JSON.stringify({ Status: 'Success', ResponseCode: 0, StandardOutputContent: 'ok\n' });
    await expect(
      runOnInstance(
        aws(['missing', JSON.stringify({ Status: 'InProgress' }), done]),
        'i-0123456789abcdef0',
        ['true'],
        'test',
        options,
      ),
    ).resolves.toEqual({ status: 'Success', exitCode: 0, stdout: 'ok\n', stderr: '' });
  });

  it('gives up with ROLL_TIMEOUT on an invocation that never finishes', async () => {
    const pending = JSON.stringify({ Status: 'InProgress' });
    await expect(
      runOnInstance(aws([pending, pending, pending, pending]), 'i-0123456789abcdef0', ['true'], 'test', options),
    ).rejects.toMatchObject({ code: 'ROLL_TIMEOUT' });
  });

  it('refuses a send-command answer without a command id as AWS_OUTPUT_INVALID', async () => {
    await expect(
      runOnInstance(async () => 'None\n', 'i-0123456789abcdef0', ['true'], 'test', options),
    ).rejects.toMatchObject({ code: 'AWS_OUTPUT_INVALID' });
  });

  it('makes a failed step an SSM_COMMAND_FAILED error carrying its stderr', async () => {
    const failed = JSON.stringify({ Status: 'Failed', ResponseCode: 3, StandardErrorContent: 'no space left\n' });
    await expect(
      runStep(aws([failed]), 'i-0123456789abcdef0', ['false'], 'kitt etcd restore step 4', options),
    ).rejects.toMatchObject({
      code: 'SSM_COMMAND_FAILED',
      message: expect.stringContaining('no space left'),
    });
  });
});
