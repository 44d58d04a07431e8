import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TempRepo } from '@kitt/flag-config/src/__fixtures__/temp-repo';
import { findAffected } from './find-affected';
import { linkNodeModules } from '../checkout/source-tree';

/*
 * The real pipeline: this workspace's packages, `scripts/kitt.mjs synth` (cdktf)
 * and Nx with the FLAG plugin, copied into a temporary git repository.
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
const PROD = 'payments-prod-us-east-1';

let repo: TempRepo;
let root: string;
let base: string;

const git = (...args: string[]): string => repo.git(...args);
const commit = (message: string): string => repo.commit(message);

beforeAll(() => {
  repo = new TempRepo('kitt-affected-workspace-');
  root = repo.root;
  for (const entry of COPIED) {
    repo.copyIn(join(WORKSPACE, entry), entry, (source) => !/[\\/](node_modules|cdktf\.out|\.nx|dist)$/.test(source));
  }
  linkNodeModules(WORKSPACE, root);
  repo.gitInit();
  base = commit('base');
});

afterAll(() => repo.dispose());

describe('findAffected with the real synthesis and Nx', () => {
  it('plans only the FLAG whose flag.yaml changed, with its changed stacks', async () => {
    const file = join(root, 'flags/payments/prod/us-east-1/flag.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8').trimEnd()}\n  - name: a2\n    zone: us-east-1a\n    slot: 2\n`);
    const head = commit('add cell a2');

    const report = await findAffected({ cwd: root, base, head });

    expect(report.flags).toEqual([PROD]);
    expect(report.stacks.map((s) => s.flag)).toEqual(report.stacks.map(() => PROD));
    expect(report.stacks).toContainEqual(expect.objectContaining({ stack: `${PROD}-flag`, reason: 'config-changed' }));
    base = head;
  });

  it('plans nothing for a layer package change that alters no synthesized output', async () => {
    appendFileSync(join(root, 'packages/flag-layer/src/naming.ts'), '\n// A comment changes no Terraform.\n');
    const head = commit('comment in the flag layer');

    const report = await findAffected({ cwd: root, base, head, detector: 'nx' });

    expect(report.detector).toBe('nx');
    const everyFlag = git('ls-files', 'flags/*/*/*/flag.yaml')
      .split('\n')
      .map((file) => file.split('/').slice(1, 4).join('-'))
      .sort();
    expect(report.flags).toEqual(everyFlag);
    expect(report.stacks).toEqual([]);
    expect(report.unchanged.length).toBeGreaterThanOrEqual(3);
    expect(report.warnings).toEqual([]);
  });
});
