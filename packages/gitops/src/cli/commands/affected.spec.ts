import { TestRepo } from '../../affected/__fixtures__/test-repo';
import type { AffectedReport } from '../../affected/types';
import { optionArgs, runKittIn } from '../__fixtures__/run-kitt';

let repo: TestRepo;
let base: string;
let head: string;

beforeAll(() => {
  repo = TestRepo.create();
  repo.writeFlag({ customer: 'acme', cells: { a1: 3 } });
  base = repo.commit('base');
  repo.edit('flags/acme/prod/us-east-1/flag.yaml', 'nodes: 3', 'nodes: 4');
  head = repo.commit('grow a1');
});

afterAll(() => repo.dispose());

function run(values: Record<string, string | boolean>) {
  return runKittIn(['affected', ...optionArgs({ detector: 'paths', ...values })], { cwd: repo.root });
}

describe('kitt affected', () => {
  it('prints the report as JSON with --json', async () => {
    const { code, stdout } = await run({ base, head, json: true });
    const report = JSON.parse(stdout) as AffectedReport;
    expect(code).toBe(0);
    expect(report.stacks.map((s) => [s.stack, s.reason])).toEqual([
      ['acme-prod-us-east-1-cell-a1', 'config-changed'],
      ['acme-prod-us-east-1-addons-a1', 'upstream-changed'],
    ]);
    expect(report.matrix.include.map((job) => job.flagDirs)).toEqual(['flags/acme/prod/us-east-1']);
  });

  it('prints a table for people by default, planned stacks first', async () => {
    const { code, stdout } = await run({ base, head });
    expect(code).toBe(0);
    const rows = stdout.split('\n').filter((line) => line.startsWith('acme-'));
    expect(rows.map((row) => row.split(/\s+/).slice(0, 3))).toEqual([
      ['acme-prod-us-east-1-cell-a1', 'cell', 'config-changed'],
      ['acme-prod-us-east-1-addons-a1', 'addons', 'upstream-changed'],
      ['acme-prod-us-east-1-flag', 'flag', 'unchanged'],
    ]);
    expect(stdout).toContain('2 stack(s) to plan in 1 job(s), 1 unchanged.');
  });

  it('says so when no FLAG is affected', async () => {
    const { stdout } = await run({ base: head, head });
    expect(stdout).toContain('No FLAG is affected: nothing to plan.');
  });

  it('exits 1 with the code and no stack trace for a ref git does not know', async () => {
    const { code, stderr } = await run({ base: 'no-such-ref', head });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^✗ kitt affected: git does not know the commit 'no-such-ref'.*\[AFFECTED_GIT_REF_INVALID\]\n$/s,
    );
  });

  it('refuses an unknown detector as a usage error', async () => {
    const { code, stderr } = await run({ base, head, detector: 'guess' });
    expect(code).toBe(2);
    expect(stderr).toContain("--detector must be one of nx, paths, got 'guess'");
  });
});
