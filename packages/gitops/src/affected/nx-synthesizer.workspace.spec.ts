import { appendFileSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TempRepo } from '@kitt/flag-config/src/__fixtures__/temp-repo';
import { Git } from '../checkout/git';
import { checkoutTree, linkNodeModules } from '../checkout/source-tree';
import { synthesizeWithNx } from './nx-synthesizer';

/*
 * The real thing: this workspace's packages, scripts, Nx with the FLAG plugin
 * and its batch executor, in a temporary git repository whose commits are
 * checked out into worktrees as `kitt affected` does.
 */
const WORKSPACE = resolve(__dirname, '../../../..');
const COPIED = [
  'scripts',
  'packages',
  'flags',
  'package.json',
  'package-lock.json',
  'nx.json',
  'tsconfig.base.json',
  '.gitignore',
];
const FLAG_DIRS = ['flags/payments/dev/eu-west-2', 'flags/payments/prod/us-east-1', 'flags/search/prod/us-west-2'];
/** The cache is what this spec is about: a run that skips it (as .ci/run asks of everything else) proves nothing. */
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NX_SKIP_NX_CACHE'));

let repo: TempRepo;
let root: string;
let scratch: string;

beforeAll(() => {
  repo = new TempRepo('kitt-nx-synth-');
  root = repo.root;
  for (const entry of COPIED) {
    repo.copyIn(join(WORKSPACE, entry), entry, (source) => !/[\\/](node_modules|cdktf\.out|\.nx|dist)$/.test(source));
  }
  linkNodeModules(WORKSPACE, root);
  repo.gitInit();
  scratch = mkdtempSync(join(tmpdir(), 'kitt-nx-synth-out-'));
});

afterAll(() => {
  repo.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

/** Synthesizes the example FLAGs of `commit`, checked out in a worktree of its own, with the repository's Nx cache. */
async function synthesizeCommit(commit: string, out: string) {
  const tree = await checkoutTree(new Git(root), commit, root, scratch);
  try {
    const outDir = join(scratch, out);
    const outcome = await synthesizeWithNx(
      { treeDir: tree.dir, flagDirs: FLAG_DIRS, outDir },
      { cacheRoot: root, env },
    );
    // The output is linked from the tree, so it is read while the tree lives.
    return { outcome, written: filesUnder(outDir) };
  } finally {
    await tree.dispose();
  }
}

/** Every file under `dir` by its path there, each FLAG's output followed through its link into the tree. */
function filesUnder(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const flag of readdirSync(dir)) {
    const flagDir = realpathSync(join(dir, flag));
    for (const entry of readdirSync(flagDir, { recursive: true, withFileTypes: true })) {
      const file = join(entry.parentPath, entry.name);
      if (entry.isFile()) files[join(flag, file.slice(flagDir.length + 1))] = readFileSync(file, 'utf8');
    }
  }
  return files;
}

/** Each test checks out a tree, builds kitt in it and runs Nx: minutes on a busy machine. */
jest.setTimeout(300_000);

describe('synthesizing through the Nx cache of the repository', () => {
  let base: string;
  let written: Record<string, string>;

  it('synthesizes every FLAG on a first run', async () => {
    base = repo.commit('base');
    const first = await synthesizeCommit(base, 'first');
    expect(first.outcome).toEqual({ tasks: 3, fromCache: 0 });
    written = first.written;
    expect(Object.keys(written).filter((file) => file.endsWith('cdk.tf.json')).length).toBeGreaterThanOrEqual(3);
  });

  it('reuses every FLAG in another tree of the same commit, the same bytes', async () => {
    const again = await synthesizeCommit(base, 'again');
    expect(again.outcome).toEqual({ tasks: 3, fromCache: 3 });
    expect(again.written).toEqual(written);
  });

  it('synthesizes again only the FLAG whose input changed', async () => {
    appendFileSync(join(root, 'flags/search/prod/us-west-2/flag.yaml'), '# a comment: an input of this FLAG changed\n');
    const head = repo.commit('a comment in one flag.yaml');
    const changed = await synthesizeCommit(head, 'changed');
    expect(changed.outcome).toEqual({ tasks: 3, fromCache: 2 });
    expect(changed.written).toEqual(written);
  });
});
