import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { KittError } from '@kitt/flag-config';
import { synthesizeFlags } from './repository';
import { fixture, makeTempRepo } from './__fixtures__/temp-repo';

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const SEARCH = 'flags/search/dev/eu-west-1';
const PAYMENTS = 'flags/payments/prod/us-east-1';

/** Every file under `dir`, relative path → bytes. */
function filesOf(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(dir, rel))) {
      const child = path.join(rel, entry);
      if (statSync(path.join(dir, child)).isDirectory()) walk(child);
      else files.set(child, readFileSync(path.join(dir, child)));
    }
  };
  walk('');
  return files;
}

/** `count` FLAGs made from the search fixture: customers g0, g1, ..., each in its own /16. */
function generatedFlags(count: number): Record<string, string> {
  const search = fixture('search-dev-eu-west-1.flag.yaml');
  return Object.fromEntries(
    Array.from({ length: count }, (_, n) => [
      `flags/g${n}/dev/eu-west-1`,
      search.replace('customer: search', `customer: g${n}`).replace('10.17.0.0/16', `10.${100 + n}.0.0/16`),
    ]),
  );
}

describe('synthesizeFlags on worker threads', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'kitt-parallel-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('writes the example FLAGs byte for byte as a serial run does', async () => {
    const serial = await synthesizeFlags(REPO_ROOT, { outDir: path.join(scratch, 'serial'), workers: 1 });
    const parallel = await synthesizeFlags(REPO_ROOT, { outDir: path.join(scratch, 'parallel'), workers: 2 });
    expect(serial.length).toBeGreaterThan(1);
    expect(parallel.map((r) => r.stacks)).toEqual(serial.map((r) => r.stacks));
    expect(filesOf(path.join(scratch, 'parallel'))).toEqual(filesOf(path.join(scratch, 'serial')));
  });

  it('writes generated FLAGs byte for byte as a serial run does, with more FLAGs than workers', async () => {
    const repo = makeTempRepo({}, generatedFlags(5));
    try {
      const serial = await synthesizeFlags(repo.root, { outDir: path.join(scratch, 'serial'), workers: 1 });
      const parallel = await synthesizeFlags(repo.root, { outDir: path.join(scratch, 'parallel'), workers: 2 });
      expect(parallel.map((r) => r.flagDir)).toEqual(serial.map((r) => r.flagDir));
      expect(parallel).toHaveLength(5);
      const written = filesOf(path.join(scratch, 'parallel'));
      const stacks = serial.reduce((sum, r) => sum + r.stacks.length, 0);
      expect([...written.keys()].filter((file) => file.endsWith('cdk.tf.json'))).toHaveLength(stacks);
      expect(written).toEqual(filesOf(path.join(scratch, 'serial')));
    } finally {
      repo.dispose();
    }
  });

  it('synthesizes two FLAGs in this thread by default: a worker thread would cost more than it saves', async () => {
    const repo = makeTempRepo({
      [PAYMENTS]: 'payments-prod-us-east-1.flag.yaml',
      [SEARCH]: 'search-dev-eu-west-1.flag.yaml',
    });
    try {
      const workerModule = path.join(__dirname, '__fixtures__', 'crashing-worker.cjs');
      const results = await synthesizeFlags(repo.root, { workerModule });
      // The crashing worker module was never loaded: both FLAGs came through this thread, whole.
      expect(results.map((r) => r.stacks[0]?.layer)).toEqual(['flag', 'flag']);
    } finally {
      repo.dispose();
    }
  });

  it('fails naming the FLAG whose worker died, and writes nothing', async () => {
    const repo = makeTempRepo({
      [PAYMENTS]: 'payments-prod-us-east-1.flag.yaml',
      [SEARCH]: 'search-dev-eu-west-1.flag.yaml',
    });
    try {
      const workerModule = path.join(__dirname, '__fixtures__', 'crashing-worker.cjs');
      const failure = synthesizeFlags(repo.root, { workers: 2, workerModule });
      await expect(failure).rejects.toThrow(KittError);
      await expect(failure).rejects.toMatchObject({
        code: 'SYNTH_WORKER_FAILED',
        message: expect.stringMatching(/^synthesizing flags\/search\/dev\/eu-west-1 failed .*exited with code 7/),
      });
      expect(existsSync(path.join(repo.root, 'cdktf.out'))).toBe(false);
    } finally {
      repo.dispose();
    }
  });

  it('fails naming the FLAG whose worker threw, with the stack, and leaves the earlier output as it was', async () => {
    const repo = makeTempRepo({
      [PAYMENTS]: 'payments-prod-us-east-1.flag.yaml',
      [SEARCH]: 'search-dev-eu-west-1.flag.yaml',
    });
    try {
      await synthesizeFlags(repo.root, { workers: 1 });
      const before = filesOf(path.join(repo.root, 'cdktf.out'));
      const workerModule = path.join(__dirname, '__fixtures__', 'throwing-worker.cjs');
      await expect(synthesizeFlags(repo.root, { workers: 2, workerModule })).rejects.toMatchObject({
        code: 'SYNTH_WORKER_FAILED',
        message: expect.stringContaining(`synthesizing ${SEARCH} failed in its worker thread: TypeError: layer bug`),
      });
      expect(filesOf(path.join(repo.root, 'cdktf.out'))).toEqual(before);
      expect(readdirSync(path.join(repo.root, 'cdktf.out')).sort()).toEqual([
        'payments-prod-us-east-1',
        'search-dev-eu-west-1',
      ]);
    } finally {
      repo.dispose();
    }
  });
});
