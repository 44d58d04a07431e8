import { readFileSync } from 'node:fs';
import * as net from 'node:net';
import { TempRepo } from '@kitt/flag-config/src/__fixtures__/temp-repo';
import { freeLocalPort } from '../../cluster-access/tunnel';
import { StandInAws, waitUntilGone } from '../../cluster-access/__fixtures__/stand-in-aws';
import { runKittIn } from '../__fixtures__/run-kitt';

const FLAG = 'flags/payments/prod/us-east-1';

/** Waits (bounded) until `check` holds. */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(socket.destroy() !== undefined));
    socket.once('error', () => resolve(false));
  });
}

describe('kitt tunnel', () => {
  let repo: TempRepo;
  let aws: StandInAws;
  beforeEach(() => {
    repo = new TempRepo('kitt-tunnel-').copyExampleFlags();
    aws = new StandInAws();
  });
  afterEach(() => {
    aws.dispose();
    repo.dispose();
  });

  it('keeps the tunnel open until interrupted, prints its URL and the kubeconfig to use, then closes it', async () => {
    const port = await freeLocalPort();
    const listening = process.listenerCount('SIGINT');
    const run = runKittIn(['tunnel', FLAG, 'a1', '--port', String(port)], { cwd: repo.root, env: aws.env() });
    await until(() => aws.sessionPids().length === 2, 'the session');
    let open = false;
    await until(() => {
      void accepts(port).then((ok) => (open = ok));
      return open;
    }, 'the local port');
    // The tunnel's own handler and the command's: a signal before the command listens would end the process.
    await until(() => process.listenerCount('SIGINT') === listening + 2, 'kitt tunnel to wait for a signal');
    process.emit('SIGINT', 'SIGINT');
    const { code, stdout, stderr } = await run;
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe(
      `✓ kitt tunnel: https://127.0.0.1:${port} → i-0123456789abcdef0:6443 (cluster payments-prod-us-east-1-a1; ` +
        `TLS name api.a1.payments-prod-us-east-1.kitt.example.com)\n` +
        `  kubeconfig: kitt kubeconfig ${FLAG} a1 --server https://127.0.0.1:${port} --out <file>\n` +
        `  Open until interrupted (Ctrl-C).\n` +
        `✓ kitt tunnel: closed on SIGINT\n`,
    );
    expect(await waitUntilGone(aws.sessionPids())).toEqual([]);
    expect(readFileSync(aws.log, 'utf8')).toContain(`localPortNumber=${port}`);
  });

  it('fails with TUNNEL_SESSION_ENDED, exit 1, when the session ends while open', async () => {
    const port = await freeLocalPort();
    const run = runKittIn(['tunnel', FLAG, 'a1', '--port', String(port)], { cwd: repo.root, env: aws.env() });
    await until(() => aws.sessionPids().length === 2, 'the session');
    let open = false;
    await until(() => {
      void accepts(port).then((ok) => (open = ok));
      return open;
    }, 'the local port');
    process.kill(-(aws.sessionPids()[0] as number), 'SIGKILL');
    const { code, stderr } = await run;
    expect(code).toBe(1);
    expect(stderr).toContain('[TUNNEL_SESSION_ENDED]');
  });

  it('refuses a local port that is taken, before starting any session', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const { code, stderr } = await runKittIn(['tunnel', FLAG, 'a1', '--port', String(port)], {
        cwd: repo.root,
        env: aws.env(),
      });
      expect(code).toBe(1);
      expect(stderr).toContain(`local port ${port} cannot be used for the tunnel (EADDRINUSE)`);
      expect(stderr).toContain('[TUNNEL_PORT_BUSY]');
      expect(aws.calls().map((c) => c[1])).toEqual(['describe-instances']);
    } finally {
      server.close();
    }
  });

  it('refuses a cell the FLAG does not have before any aws call', async () => {
    const { code, stderr } = await runKittIn(['tunnel', FLAG, 'z9'], { cwd: repo.root, env: aws.env() });
    expect(code).toBe(1);
    expect(stderr).toContain('[KUBECONFIG_CELL_UNKNOWN]');
    expect(aws.calls()).toEqual([]);
  });

  it.each(['80', '70000', 'x'])('refuses --port %s as a usage error (exit 2)', async (port) => {
    const { code, stderr } = await runKittIn(['tunnel', FLAG, 'a1', '--port', port], {
      cwd: repo.root,
      env: aws.env(),
    });
    expect(code).toBe(2);
    expect(stderr).toContain('--port must be a port number from 1024 to 65535');
  });
});
