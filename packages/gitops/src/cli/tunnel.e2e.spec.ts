import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { TempRepo } from '@kitt/flag-config/src/__fixtures__/temp-repo';
import { freeLocalPort } from '../cluster-access/tunnel';
import { StandInAws, waitUntilGone } from '../cluster-access/__fixtures__/stand-in-aws';

/** The real entry point, as `npx kitt` runs it: a signal reaches the process itself, not a test's emitter. */
const REPO = resolve(__dirname, '../../../..');
const KITT = join(REPO, 'scripts/kitt.mjs');
const FLAG = 'flags/payments/prod/us-east-1';

interface Running {
  readonly pid: number;
  stdout(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function kittTunnel(cwd: string, env: Record<string, string | undefined>, port: number): Running {
  const child = spawn(process.execPath, [KITT, 'tunnel', FLAG, 'a1', '--port', String(port)], {
    cwd,
    env: { ...env, HOME: process.env.HOME } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.resume();
  return {
    pid: child.pid as number,
    stdout: () => stdout,
    exited: new Promise((done) => child.on('exit', (code, signal) => done({ code, signal }))),
  };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 60_000; // the first run may build the CLI
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

describe('the kitt executable, interrupted', () => {
  let repo: TempRepo;
  let aws: StandInAws;
  beforeEach(() => {
    repo = new TempRepo('kitt-tunnel-e2e-').copyExampleFlags().copyIn(join(REPO, 'nx.json'), 'nx.json');
    aws = new StandInAws();
  });
  afterEach(() => {
    aws.dispose();
    repo.dispose();
  });

  it('closes an open kitt tunnel on SIGINT, session and plugin, and exits 0', async () => {
    const kitt = kittTunnel(repo.root, aws.env(), await freeLocalPort());
    await until(() => kitt.stdout().includes('Open until interrupted'), 'the tunnel to open');
    process.kill(kitt.pid, 'SIGINT');
    expect(await kitt.exited).toEqual({ code: 0, signal: null });
    expect(kitt.stdout()).toContain('✓ kitt tunnel: closed on SIGINT\n');
    expect(aws.sessionPids()).toHaveLength(2);
    expect(await waitUntilGone(aws.sessionPids())).toEqual([]);
  });

  it('ends a session still opening on SIGTERM, and is ended by the signal', async () => {
    const kitt = kittTunnel(repo.root, aws.env({ STAND_IN_AWS_SESSION: 'never' }), await freeLocalPort());
    await until(() => aws.sessionPids().length === 2, 'the session to start');
    process.kill(kitt.pid, 'SIGTERM');
    expect(await kitt.exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect(await waitUntilGone(aws.sessionPids())).toEqual([]);
  });
});
