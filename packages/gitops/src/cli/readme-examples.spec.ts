import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TempRepo } from '@kitt/flag-config/src/__fixtures__/temp-repo';
import { runKittIn } from './__fixtures__/run-kitt';

const REPO = path.resolve(__dirname, '../../../..');

/**
 * The `npx kitt new|check|network` lines of README.md's "A day with kitt"
 * block, as argument vectors (the block holds no quoting; comments after `#` dropped).
 */
function dayWithKittCommands(): string[][] {
  const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const section = readme.split(/^## A day with kitt$/m)[1]?.split(/^## /m)[0] ?? '';
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => /^npx kitt (new|check|network)\b/.test(line))
    .map((line) => line.split(/\s+/).slice(2));
}

describe('README.md, "A day with kitt"', () => {
  let repo: TempRepo;
  let root: string;
  beforeAll(() => {
    repo = new TempRepo('kitt-readme-').copyExampleFlags();
    root = repo.root;
  });
  afterAll(() => repo.dispose());

  it('shows kitt new, check and network', () => {
    expect(dayWithKittCommands().map((argv) => argv[0])).toEqual(['new', 'check', 'network']);
  });

  it('runs as written on a copy of the repository, in order, each with exit 0', async () => {
    for (const argv of dayWithKittCommands()) {
      const { code, stderr } = await runKittIn(argv, { cwd: root });
      expect({ command: argv.join(' '), code, stderr }).toEqual({ command: argv.join(' '), code: 0, stderr: '' });
    }
  });
});
