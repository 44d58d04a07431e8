import { scopeChanges } from './change-scope';

describe('scopeChanges', () => {
  it('maps a changed flag.yaml to its FLAG directory', () => {
    const scope = scopeChanges(['flags/acme/prod/us-east-1/flag.yaml']);
    expect(scope).toEqual({ touchedFlagDirs: ['flags/acme/prod/us-east-1'], everyFlag: false, sharedFiles: [] });
  });

  it('marks every FLAG affected by flags/org.yaml and by the kitt entry point', () => {
    expect(scopeChanges(['flags/org.yaml']).everyFlag).toBe(true);
    expect(scopeChanges(['scripts/kitt.mjs']).everyFlag).toBe(true);
  });

  it('leaves packages and root manifests to the project graph', () => {
    const scope = scopeChanges([
      'packages/flag-layer/src/vpc.ts',
      'package-lock.json',
      'nx.json',
      'tsconfig.base.json',
    ]);
    expect(scope.sharedFiles).toEqual([
      'nx.json',
      'package-lock.json',
      'packages/flag-layer/src/vpc.ts',
      'tsconfig.base.json',
    ]);
    expect(scope.everyFlag).toBe(false);
  });

  it('ignores files no synthesis reads', () => {
    const changed = [
      'README.md',
      '.github/workflows/plan.yml',
      'scripts/bench.mjs',
      'flags/README.md',
      'packages/gitops/src/x.spec.ts',
      'packages/allocator/README.md',
    ];
    expect(scopeChanges(changed)).toEqual({
      touchedFlagDirs: [],
      everyFlag: false,
      sharedFiles: [],
    });
  });
});
