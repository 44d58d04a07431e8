import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TempRepo } from '@kitt/flag-config/src/__fixtures__/temp-repo';
import type { SynthesisRequest } from '../checkout/synthesize-tree';
import { nxCachedSynthesizer, nxSynthOutRoot, parseCacheHits } from './nx-synthesizer';

const PLUGIN = './packages/flag-config/src/nx/entry.cjs';

let temp: TempRepo;
beforeEach(() => {
  temp = new TempRepo('kitt-nx-synthesizer-');
});
afterEach(() => temp.dispose());

/** A tree with the FLAG executor and a stand-in Nx that leaves a mark when it runs, then fails. */
function treeWithFailingNx(): void {
  temp.write({
    'packages/flag-config/executors.json': '{}',
    'nx.json': JSON.stringify({ plugins: [PLUGIN] }),
    'node_modules/nx/package.json': JSON.stringify({ name: 'nx', bin: { nx: 'bin/nx.js' } }),
    'node_modules/nx/bin/nx.js': "require('fs').writeFileSync('nx-was-run', '');\nprocess.exit(1);\n",
  });
}

function request(treeDir: string): SynthesisRequest {
  return { treeDir, flagDirs: ['flags/acme/prod/us-east-1'], outDir: `${treeDir}/out` };
}

describe('nxSynthOutRoot', () => {
  it('is the FLAG plugin’s outDir where the tree has the batch executor', () => {
    temp.write({
      'packages/flag-config/executors.json': '{}',
      'nx.json': JSON.stringify({ plugins: [{ plugin: PLUGIN, options: { outDir: 'build/cdktf' } }] }),
    });
    expect(nxSynthOutRoot(temp.root)).toBe('build/cdktf');
  });

  it('is cdktf.out when the plugin sets no outDir', () => {
    temp.write({ 'packages/flag-config/executors.json': '{}', 'nx.json': JSON.stringify({ plugins: [PLUGIN] }) });
    expect(nxSynthOutRoot(temp.root)).toBe('cdktf.out');
  });

  it('is undefined for a tree without the executor, without the plugin, or without a readable nx.json', () => {
    temp.write({ 'nx.json': JSON.stringify({ plugins: [PLUGIN] }) });
    expect(nxSynthOutRoot(temp.root)).toBeUndefined();
    temp.write({ 'packages/flag-config/executors.json': '{}', 'nx.json': JSON.stringify({ plugins: [] }) });
    expect(nxSynthOutRoot(temp.root)).toBeUndefined();
    temp.write({ 'nx.json': '{ not json' });
    expect(nxSynthOutRoot(temp.root)).toBeUndefined();
  });
});

describe('parseCacheHits', () => {
  it('reads how many tasks Nx answered from its cache', () => {
    expect(parseCacheHits('  Cache:             2/3 hit (67%)\n')).toEqual({ fromCache: 2, tasks: 3 });
    expect(
      parseCacheHits('Nx read the output from the cache instead of running the command for 3 out of 5 tasks.'),
    ).toEqual({ fromCache: 3, tasks: 5 });
    expect(parseCacheHits('Successfully ran target synth')).toBeUndefined();
  });
});

describe('nxCachedSynthesizer', () => {
  it('runs kitt synth (the fallback) in a tree whose Nx has no FLAG executor', async () => {
    temp.write({ 'nx.json': JSON.stringify({ plugins: [PLUGIN] }) });
    const fallback = jest.fn(async () => undefined);
    await nxCachedSynthesizer({ cacheRoot: temp.root, minFlags: 1 }, fallback)(request(temp.root));
    expect(fallback).toHaveBeenCalledWith(request(temp.root));
  });

  it('runs kitt synth for fewer FLAGs than Nx would pay for, without asking Nx', async () => {
    treeWithFailingNx();
    const fallback = jest.fn(async () => undefined);
    await nxCachedSynthesizer({ cacheRoot: temp.root }, fallback)(request(temp.root));
    expect(fallback).toHaveBeenCalledWith(request(temp.root));
    expect(existsSync(join(temp.root, 'nx-was-run'))).toBe(false);
  });

  it('runs kitt synth when Nx fails, which then reports its own error', async () => {
    treeWithFailingNx();
    const fallback = jest.fn(async () => {
      throw new Error('kitt synth: flags/acme/prod/us-east-1/flag.yaml: bad');
    });
    await expect(
      nxCachedSynthesizer({ cacheRoot: temp.root, minFlags: 1 }, fallback)(request(temp.root)),
    ).rejects.toThrow('flags/acme/prod/us-east-1/flag.yaml: bad');
    expect(fallback).toHaveBeenCalledTimes(1);
    expect(existsSync(join(temp.root, 'nx-was-run'))).toBe(true);
  });

  it('runs one Nx at a time: each holds hundreds of megabytes', async () => {
    treeWithFailingNx();
    temp.write({
      'node_modules/nx/bin/nx.js':
        "const fs = require('fs');\nfs.appendFileSync('nx-log', 'start\\n');\nsetTimeout(() => { fs.appendFileSync('nx-log', 'end\\n'); process.exit(1); }, 300);\n",
    });
    const fallback = jest.fn(async () => undefined);
    const synthesize = nxCachedSynthesizer({ cacheRoot: temp.root, minFlags: 1 }, fallback);
    await Promise.all([synthesize(request(temp.root)), synthesize(request(temp.root))]);
    expect(readFileSync(join(temp.root, 'nx-log'), 'utf8')).toBe('start\nend\nstart\nend\n');
    expect(fallback).toHaveBeenCalledTimes(2);
  });

  it('synthesizes nothing for no FLAGs', async () => {
    const fallback = jest.fn(async () => undefined);
    await nxCachedSynthesizer({ cacheRoot: temp.root }, fallback)({ ...request(temp.root), flagDirs: [] });
    expect(fallback).not.toHaveBeenCalled();
  });
});
