import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestRepo } from '../affected/__fixtures__/test-repo';
import type { AffectedStackEntry } from '../affected/report';
import { BaseCommitMissingError, baseCommitFor, synthesizeRemovedStacks } from './removed-stacks';

// A real git repository with the stand-in `kitt synth` (affected/__fixtures__/mini-repo): base has FLAG beta, head removed it.
const BETA = 'beta-dev-eu-west-1';
const BETA_DIR = 'flags/beta/dev/eu-west-1';

function removed(suffix: string, layer: AffectedStackEntry['layer'], dependsOn: string[] = []): AffectedStackEntry {
  return { flag: BETA, flagDir: BETA_DIR, stack: `${BETA}-${suffix}`, layer, dependsOn, reason: 'removed' };
}
const BETA_REMOVED = [
  removed('flag', 'flag'),
  removed('cell-a1', 'cell', [`${BETA}-flag`]),
  removed('addons-a1', 'addons', [`${BETA}-cell-a1`]),
];

describe('synthesizeRemovedStacks on a real git repository', () => {
  let repo: TestRepo;
  let base: string;

  beforeEach(() => {
    repo = TestRepo.create();
    repo.writeFlag({ customer: 'acme' });
    repo.writeFlag({ customer: 'beta', environment: 'dev', region: 'eu-west-1', vpcCidr: '10.2.0.0/16' });
    base = repo.commit('base');
    repo.remove('flags/beta');
    // Head's layer writes other addons: base's output must come from base's own layer code.
    repo.edit('packages/layer/render.cjs', "const ADDONS = ['ingress'];", "const ADDONS = ['ingress', 'dns'];");
    repo.commit('remove beta');
  });
  afterEach(() => repo.dispose());

  const outDir = () => join(repo.root, 'cdktf.out', '.base');
  const configOf = (stack: string) =>
    JSON.parse(readFileSync(join(outDir(), BETA, 'stacks', stack, 'cdk.tf.json'), 'utf8'));

  it("synthesizes a removed FLAG at the base commit with base's own code, into the directory given", async () => {
    const result = await synthesizeRemovedStacks({
      repoDir: repo.root,
      base: 'HEAD~1',
      removed: BETA_REMOVED,
      outDir: outDir(),
    });

    expect(result.commit).toBe(base);
    expect(result.unplanned).toEqual([]);
    expect(result.stacks.map((s) => [s.stack, s.layer, s.dir, s.dependsOn])).toEqual(
      expect.arrayContaining([
        [`${BETA}-flag`, 'flag', join(outDir(), BETA, 'stacks', `${BETA}-flag`), []],
        [`${BETA}-cell-a1`, 'cell', join(outDir(), BETA, 'stacks', `${BETA}-cell-a1`), [`${BETA}-flag`]],
        [`${BETA}-addons-a1`, 'addons', join(outDir(), BETA, 'stacks', `${BETA}-addons-a1`), [`${BETA}-cell-a1`]],
      ]),
    );
    expect(result.stacks).toHaveLength(3);
    expect(configOf(`${BETA}-flag`).resource.terraform_data.vpc.input).toBe('10.2.0.0/16');
    expect(configOf(`${BETA}-addons-a1`).resource.terraform_data.addons.input).toEqual(['ingress']);
  });

  it('removes the worktree of base afterwards', async () => {
    await synthesizeRemovedStacks({ repoDir: repo.root, base, removed: BETA_REMOVED, outDir: outDir() });
    expect(repo.git('worktree', 'list').split('\n')).toHaveLength(1);
  });

  it('returns only the removed stacks, not the rest of their FLAG', async () => {
    const result = await synthesizeRemovedStacks({
      repoDir: repo.root,
      base,
      removed: BETA_REMOVED.slice(1),
      outDir: outDir(),
    });
    expect(result.stacks.map((s) => s.stack).sort()).toEqual([`${BETA}-addons-a1`, `${BETA}-cell-a1`]);
  });

  it('returns a removed stack that base did not produce as unplanned, with the reason', async () => {
    const ghost = removed('cell-z9', 'cell');
    const result = await synthesizeRemovedStacks({ repoDir: repo.root, base, removed: [ghost], outDir: outDir() });
    expect(result.stacks).toEqual([]);
    expect(result.unplanned).toEqual([
      { entry: ghost, reason: expect.stringContaining(`synthesizing ${BETA_DIR} at base ${base} did not produce it`) },
    ]);
  });

  it('returns every removed stack as unplanned when git does not know the base commit, and leaves no worktree', async () => {
    const result = await synthesizeRemovedStacks({
      repoDir: repo.root,
      base: 'no-such-ref',
      removed: BETA_REMOVED,
      outDir: outDir(),
    });
    expect(result.stacks).toEqual([]);
    expect(result.unplanned.map((u) => u.entry.stack)).toEqual(BETA_REMOVED.map((s) => s.stack));
    expect(result.unplanned[0]?.reason).toContain("git does not know the commit 'no-such-ref'");
    expect(repo.git('worktree', 'list').split('\n')).toHaveLength(1);
  });

  it('does nothing, not even touch git, when no stack was removed', async () => {
    const result = await synthesizeRemovedStacks({
      repoDir: join(repo.root, 'not-a-repo'),
      base,
      removed: [],
      outDir: outDir(),
    });
    expect(result).toEqual({ stacks: [], unplanned: [] });
    expect(existsSync(outDir())).toBe(false);
  });
});

describe('baseCommitFor', () => {
  it('refuses removed stacks without a base commit, naming them and what to pass', () => {
    expect(() => baseCommitFor(BETA_REMOVED.slice(0, 1), undefined)).toThrow(BaseCommitMissingError);
    expect(() => baseCommitFor(BETA_REMOVED.slice(0, 1), undefined)).toThrow(
      expect.objectContaining({
        code: 'PLAN_BASE_COMMIT_MISSING',
        stacks: [`${BETA}-flag`],
        message: expect.stringContaining('--base SHA'),
      }),
    );
  });

  it('needs no base commit when nothing was removed', () => {
    expect(baseCommitFor([], undefined)).toBeUndefined();
  });
});
