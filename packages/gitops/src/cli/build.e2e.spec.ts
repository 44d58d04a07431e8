import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** This repository, whose kitt entry, build script and packages are copied into a scratch workspace. */
const REPO = resolve(__dirname, '../../../..');
const REGISTRY = 'packages/gitops/src/cli/registry.ts';

/** A workspace with its own copy of scripts/ and packages/ (no tests or fixtures), dependencies linked. */
function makeWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kitt-build-'));
  cpSync(join(REPO, 'nx.json'), join(dir, 'nx.json'));
  for (const script of ['kitt.mjs', 'build.mjs']) cpSync(join(REPO, 'scripts', script), join(dir, 'scripts', script));
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
  const result = spawnSync(process.execPath, [join(cwd, 'scripts', 'kitt.mjs'), ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
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
