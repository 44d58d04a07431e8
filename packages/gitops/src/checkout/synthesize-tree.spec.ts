import { TempRepo } from '@kitt/flag-config/src/__fixtures__/temp-repo';
import { BUNDLE_FROM_FLAGS, treeKittEnv } from './synthesize-tree';

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
