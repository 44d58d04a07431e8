import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { synthesizeFlags } from '../synth/repository';

/** This repository, whose kitt entry, build script and packages are copied into a scratch workspace. */
const REPO = resolve(__dirname, '../../../..');
const REGISTRY = 'packages/gitops/src/cli/registry.ts';

/** A workspace with its own copy of scripts/ and packages/ (no tests or fixtures), dependencies linked. */
function makeWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kitt-build-'));
  cpSync(join(REPO, 'nx.json'), join(dir, 'nx.json'));
  cpSync(join(REPO, 'package-lock.json'), join(dir, 'package-lock.json'));
  cpSync(join(REPO, 'flags'), join(dir, 'flags'), { recursive: true });
  for (const script of ['kitt.mjs', 'build.mjs', 'bundle-loader.mjs', 'cdktf-bundle-patches.mjs'])
    cpSync(join(REPO, 'scripts', script), join(dir, 'scripts', script));
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, '@kitt'), { recursive: true });
  for (const entry of readdirSync(join(REPO, 'node_modules'))) {
    if (entry !== '@kitt') symlinkSync(join(REPO, 'node_modules', entry), join(modules, entry));
  }
  for (const name of readdirSync(join(REPO, 'packages'))) {
    cpSync(join(REPO, 'packages', name), join(dir, 'packages', name), {
      recursive: true,
      filter: (source) => !/node_modules|__fixtures__|__snapshots__|\.spec\.ts$/.test(source),
    });
    symlinkSync(join('..', '..', 'packages', name), join(modules, '@kitt', name));
    const nested = join(REPO, 'packages', name, 'node_modules');
    if (readdirSync(join(REPO, 'packages', name)).includes('node_modules')) {
      symlinkSync(nested, join(dir, 'packages', name, 'node_modules'));
    }
  }
  return dir;
}

function kitt(cwd: string, ...args: string[]) {
  return kittWith(cwd, {}, ...args);
}

function kittWith(cwd: string, env: Record<string, string>, ...args: string[]) {
  const result = spawnSync(process.execPath, [join(cwd, 'scripts', 'kitt.mjs'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every file under `dir` (relative path → content), to compare two outputs byte for byte. */
function filesUnder(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    files[file.slice(dir.length + 1)] = readFileSync(file, 'utf8');
  }
  return files;
}

/** The newest build of the workspace (earlier ones stay for an hour). */
function newestBuild(workspace: string): string {
  const builds = readdirSync(join(workspace, 'dist'))
    .filter((entry) => !entry.startsWith('.'))
    .map((entry) => join(workspace, 'dist', entry));
  const made = (dir: string) => statSync(join(dir, 'build.json')).mtimeMs;
  return builds.sort((a, b) => made(b) - made(a))[0] ?? 'no build';
}

describe('the kitt executable and its build', () => {
  let workspace: string;
  beforeAll(() => {
    workspace = makeWorkspace();
  });
  afterAll(() => rmSync(workspace, { recursive: true, force: true }));

  it('runs a build of the sources as they are, and a new build after a source changed', () => {
    const first = kitt(workspace, '--help');
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain('Synthesize FLAGs into');
    const builds = readdirSync(join(workspace, 'dist'));
    expect(builds).toHaveLength(1);

    const registry = join(workspace, REGISTRY);
    writeFileSync(
      registry,
      readFileSync(registry, 'utf8').replace('Synthesize FLAGs into', 'Synthesize (edited) FLAGs into'),
    );
    const second = kitt(workspace, '--help');
    expect(second).toMatchObject({ code: 0, stderr: '' });
    expect(second.stdout).toContain('Synthesize (edited) FLAGs into');
    expect(readdirSync(join(workspace, 'dist')).filter((entry) => !builds.includes(entry))).toHaveLength(1);
  });

  it('makes a new build when the npm dependencies change, since the bundles hold them', () => {
    expect(kitt(workspace, '--help').code).toBe(0);
    const before = readdirSync(join(workspace, 'dist'));
    const lockfile = join(workspace, 'package-lock.json');
    writeFileSync(lockfile, `${readFileSync(lockfile, 'utf8')}\n`);
    expect(kitt(workspace, '--help')).toMatchObject({ code: 0, stderr: '' });
    expect(readdirSync(join(workspace, 'dist')).filter((entry) => !before.includes(entry))).toHaveLength(1);
  });

  it('synthesizes from the bundle, on worker threads from the worker bundle beside it, the bytes the sources write', async () => {
    await synthesizeFlags(workspace, { outDir: join(workspace, 'sources.out'), workers: 1 });
    const parallel = kittWith(workspace, { KITT_SYNTH_WORKERS: '2' }, 'synth', '--out', 'bundle.out');
    expect(parallel).toMatchObject({ code: 0, stderr: '' });
    expect(readdirSync(join(newestBuild(workspace), 'bin')).sort()).toEqual(['kitt.js', 'synth-worker.js']);
    const written = filesUnder(join(workspace, 'sources.out'));
    expect(Object.keys(written).filter((file) => file.endsWith('cdk.tf.json')).length).toBeGreaterThan(2);
    expect(filesUnder(join(workspace, 'bundle.out'))).toEqual(written);
  });

  it('keeps a code cache per command, and ignores and rewrites one that V8 rejects', () => {
    expect(kitt(workspace, 'network', 'flags/search/prod/us-west-2', '--format', 'json').code).toBe(0);
    const cache = join(newestBuild(workspace), 'cache');
    const [file, ...others] = readdirSync(cache).filter((entry) => entry.startsWith('kitt.network.'));
    expect(others).toEqual([]);
    const cacheFile = join(cache, file ?? '');
    writeFileSync(cacheFile, 'not a V8 code cache');

    const again = kitt(workspace, 'network', 'flags/search/prod/us-west-2', '--format', 'json');
    expect(again).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(again.stdout).flag.id).toBe('search-prod-us-west-2');
    expect(readFileSync(cacheFile, 'utf8')).not.toBe('not a V8 code cache');
    expect(existsSync(join(cache, readdirSync(cache).find((entry) => entry.startsWith('kitt.help.')) ?? 'none'))).toBe(
      true,
    );
  });

  it('runs a build without bundles under KITT_UNBUNDLED=1, for a tree kitt runs in once', () => {
    const result = kittWith(
      workspace,
      { KITT_UNBUNDLED: '1' },
      'network',
      'flags/search/prod/us-west-2',
      '--format',
      'json',
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout).flag.id).toBe('search-prod-us-west-2');
    const unbundled = newestBuild(workspace);
    expect(readdirSync(unbundled)).not.toContain('bin');
    expect(existsSync(join(unbundled, 'packages/gitops/src/index.js'))).toBe(true);
  });

  it('runs the sources through tsx, and says so on stderr, when no build can be written', () => {
    rmSync(join(workspace, 'dist'), { recursive: true, force: true });
    writeFileSync(join(workspace, 'dist'), 'not a directory');
    try {
      const result = kitt(workspace, '--help');
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/^kitt: cannot build \(.*\); running the sources through tsx\n$/);
      expect(result.stdout).toContain('Synthesize');
    } finally {
      rmSync(join(workspace, 'dist'), { force: true });
    }
  });
});
