import { TempRepo } from '@kitt/flag-config/src/__fixtures__/temp-repo';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLE_FROM_FLAGS, prebuildTree, treeKittEnv } from './synthesize-tree';

let temp: TempRepo;
beforeEach(() => {
  temp = new TempRepo('kitt-tree-env-');
});
afterEach(() => temp.dispose());

describe('treeKittEnv', () => {
  it('runs kitt unbundled in a tree without a build, for a few FLAGs: bundling would cost more than it saves', () => {
    expect(treeKittEnv(temp.root, 1)).toEqual({ KITT_UNBUNDLED: '1' });
  });

  it('lets kitt bundle for as many FLAGs as bundling pays for', () => {
    expect(treeKittEnv(temp.root, BUNDLE_FROM_FLAGS)).toEqual({});
  });

  it('lets kitt use the build a tree has (the working tree, after npm ci)', () => {
    temp.write({ 'dist/0123456789abcdef/build.json': '{}' });
    expect(treeKittEnv(temp.root, 1)).toEqual({});
  });
});

/** A tree whose scripts/build.mjs stands in for kitt's: it writes dist/ and exits with `code`. */
function withBuildScript(code: number): void {
  temp.write({
    'scripts/build.mjs': `import { mkdirSync } from 'node:fs';\nmkdirSync('dist/built', { recursive: true });\nprocess.exit(${code});\n`,
  });
}

describe('prebuildTree', () => {
  it('builds kitt in a tree without a build that will synthesize bundled', async () => {
    withBuildScript(0);
    await expect(prebuildTree(temp.root, BUNDLE_FROM_FLAGS)).resolves.toBe(true);
    expect(existsSync(join(temp.root, 'dist', 'built'))).toBe(true);
  });

  it('builds nothing for FLAGs too few for a bundle', async () => {
    withBuildScript(0);
    await expect(prebuildTree(temp.root, 1)).resolves.toBe(false);
    expect(existsSync(join(temp.root, 'dist'))).toBe(false);
  });

  it('builds nothing in a tree that has a build', async () => {
    withBuildScript(0);
    temp.write({ 'dist/0123456789abcdef/build.json': '{}' });
    await expect(prebuildTree(temp.root, BUNDLE_FROM_FLAGS)).resolves.toBe(false);
    expect(existsSync(join(temp.root, 'dist', 'built'))).toBe(false);
  });

  it('builds nothing in a tree from before kitt had a build script', async () => {
    await expect(prebuildTree(temp.root, BUNDLE_FROM_FLAGS)).resolves.toBe(false);
  });

  it('resolves false when the build fails, leaving kitt to build or say why itself', async () => {
    withBuildScript(1);
    await expect(prebuildTree(temp.root, BUNDLE_FROM_FLAGS)).resolves.toBe(false);
  });
});
