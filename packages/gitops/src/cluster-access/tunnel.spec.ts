import { controlPlaneInstancesArgs, openTunnel, portForwardingArgs, withTunnel, type TunnelOptions } from './tunnel';
import { readFrom, replyServer, StandInAws, waitUntilGone } from './__fixtures__/stand-in-aws';

const FLAG = { id: 'payments-prod-us-east-1', customer: 'payments', environment: 'prod', region: 'us-east-1' };

describe('the tunnel commands', () => {
  it("looks up the cell's running control-plane instances by their tags, in the FLAG's region", () => {
    expect(controlPlaneInstancesArgs(FLAG, 'a1')).toEqual([
      'ec2',
      'describe-instances',
      '--region',
      'us-east-1',
      '--filters',
      'Name=tag:kitt:flag,Values=payments-prod-us-east-1',
      'Name=tag:kitt:cell,Values=a1',
      'Name=tag:kitt:node-role,Values=control-plane',
      'Name=instance-state-name,Values=running',
      '--query',
      'Reservations[].Instances[].InstanceId',
      '--output',
      'text',
    ]);
  });

  it("forwards the local port to the instance's own API port with the port-forwarding document", () => {
    expect(portForwardingArgs('i-0123456789abcdef0', 40123, 'us-east-1')).toEqual([
      'ssm',
      'start-session',
      '--region',
      'us-east-1',
      '--target',
      'i-0123456789abcdef0',
      '--document-name',
      'AWS-StartPortForwardingSession',
      '--parameters',
      'portNumber=6443,localPortNumber=40123',
    ]);
  });
});

describe('withTunnel', () => {
  let aws: StandInAws;
  beforeEach(() => {
    aws = new StandInAws();
  });
  afterEach(() => aws.dispose());

  const options = (env: Record<string, string> = {}, openTimeoutMs = 10_000): TunnelOptions => ({
    flag: FLAG,
    cell: 'a1',
    env: aws.env(env),
    openTimeoutMs,
  });

  it('opens a session to a control-plane instance, hands over a local URL that reaches it, and ends it after', async () => {
    const upstream = await replyServer('hello from 6443');
    try {
      const seen = await withTunnel(options({ STAND_IN_AWS_FORWARD_TO: String(upstream.port) }), async (tunnel) => {
        expect(tunnel.url).toBe(`https://127.0.0.1:${tunnel.localPort}`);
        expect(tunnel.instanceId).toBe('i-0123456789abcdef0');
        return readFrom(tunnel.localPort);
      });
      expect(seen).toBe('hello from 6443');
      const calls = aws.calls();
      expect(calls.map((c) => c.slice(0, 2))).toEqual([
        ['ec2', 'describe-instances'],
        ['ssm', 'start-session'],
      ]);
      expect(calls[1]).toContain('i-0123456789abcdef0');
      expect(await waitUntilGone(aws.sessionPids())).toEqual([]);
      expect(aws.sessionPids()).toHaveLength(2);
    } finally {
      await upstream.close();
    }
  });

  it('picks the first of several running control-plane instances, in sorted order', async () => {
    const env = { STAND_IN_AWS_INSTANCES: 'i-0ccccccccccccccc0 i-0aaaaaaaaaaaaaaa0\ti-0bbbbbbbbbbbbbbb0' };
    const id = await withTunnel(options(env), async (tunnel) => tunnel.instanceId);
    expect(id).toBe('i-0aaaaaaaaaaaaaaa0');
  });

  it('fails with TUNNEL_NO_CONTROL_PLANE, naming the cell and its tags, when none runs, and starts no session', async () => {
    const use = jest.fn();
    await expect(withTunnel(options({ STAND_IN_AWS_INSTANCES: '' }), use)).rejects.toMatchObject({
      code: 'TUNNEL_NO_CONTROL_PLANE',
      message: expect.stringContaining(
        'cell a1 of payments-prod-us-east-1 has no running control-plane instance in us-east-1 (tags kitt:flag=payments-prod-us-east-1, kitt:cell=a1, kitt:node-role=control-plane)',
      ),
    });
    expect(use).not.toHaveBeenCalled();
    expect(aws.calls().map((c) => c[1])).toEqual(['describe-instances']);
  });

  it('fails with TUNNEL_OPEN_TIMEOUT when the session never listens, and ends it', async () => {
    const use = jest.fn();
    await expect(withTunnel(options({ STAND_IN_AWS_SESSION: 'never' }, 1_500), use)).rejects.toMatchObject({
      code: 'TUNNEL_OPEN_TIMEOUT',
      message: expect.stringMatching(/did not accept connections on 127\.0\.0\.1:\d+ within 2 s; it said: Starting/),
    });
    expect(use).not.toHaveBeenCalled();
    expect(aws.sessionPids()).toHaveLength(2);
    expect(await waitUntilGone(aws.sessionPids())).toEqual([]);
  });

  it("fails with TUNNEL_SESSION_ENDED and the CLI's words when start-session fails", async () => {
    await expect(withTunnel(options({ STAND_IN_AWS_SESSION: 'fail' }), jest.fn())).rejects.toMatchObject({
      code: 'TUNNEL_SESSION_ENDED',
      message: expect.stringContaining('exited with code 254: An error occurred (TargetNotConnected)'),
    });
  });

  it('fails with AWS_CLI_NOT_FOUND when there is no aws executable', async () => {
    const env = { ...options().env, KITT_AWS: `${aws.dir}/no-aws` };
    await expect(withTunnel({ ...options(), env }, jest.fn())).rejects.toMatchObject({ code: 'AWS_CLI_NOT_FOUND' });
  });

  it('ends the session, plugin included, when the caller throws, and passes the error on', async () => {
    await expect(
      withTunnel(options(), async () => {
        throw new Error('terraform blew up');
      }),
    ).rejects.toThrow('terraform blew up');
    expect(aws.sessionPids()).toHaveLength(2);
    expect(await waitUntilGone(aws.sessionPids())).toEqual([]);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('ends every open session at once on %s', async (signal) => {
    const listener = jest.fn(); // someone else handles the signal: kitt is not ended by it here
    process.on(signal, listener);
    const tunnel = await openTunnel(options());
    try {
      expect(process.listenerCount(signal)).toBe(2);
      process.emit(signal, signal);
      expect(await waitUntilGone(aws.sessionPids())).toEqual([]);
      expect(listener).toHaveBeenCalled();
      expect(process.listenerCount(signal)).toBe(1);
    } finally {
      await tunnel.close();
      process.off(signal, listener);
    }
  });

  it('rejects `ended` with TUNNEL_SESSION_ENDED when the session dies while in use, and not after close', async () => {
    const tunnel = await openTunnel(options());
    const [leader] = aws.sessionPids();
    process.kill(-(leader as number), 'SIGKILL');
    await expect(tunnel.ended).rejects.toMatchObject({ code: 'TUNNEL_SESSION_ENDED' });
    await tunnel.close();

    const quiet = await openTunnel(options());
    let settled = false;
    quiet.ended.then(
      () => (settled = true),
      () => (settled = true),
    );
    await quiet.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(settled).toBe(false);
  });
});
