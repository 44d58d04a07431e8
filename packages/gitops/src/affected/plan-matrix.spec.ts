import { AffectedError } from './errors';
import { planMatrix } from './plan-matrix';
import type { AffectedStack } from './types';

function stacksOf(count: number, accounts: readonly string[]): AffectedStack[] {
  return Array.from({ length: count }, (_, i) => {
    const accountId = accounts[i % accounts.length] as string;
    const flag = `c${String(i).padStart(4, '0')}-prod-us-east-1`;
    return {
      flag,
      flagDir: `flags/c${String(i).padStart(4, '0')}/prod/us-east-1`,
      stack: `${flag}-flag`,
      layer: 'flag',
      dependsOn: [],
      reason: 'new',
      accountId,
      planRoleArn: `arn:aws:iam::${accountId}:role/plan`,
      configHash: 'h',
    };
  });
}

describe('planMatrix', () => {
  it('gives each FLAG its own job, once however many of its stacks are planned', () => {
    const [first] = stacksOf(1, ['111111111111']);
    const cell: AffectedStack = { ...(first as AffectedStack), stack: `${first?.flag}-cell-a1`, layer: 'cell' };
    const { include } = planMatrix([first as AffectedStack, cell]);
    expect(include).toEqual([
      {
        name: 'c0000-prod-us-east-1',
        flagDirs: 'flags/c0000/prod/us-east-1',
        accountId: '111111111111',
        planRoleArn: 'arn:aws:iam::111111111111:role/plan',
        awsRegion: 'us-east-1',
      },
    ]);
  });

  it('keeps one FLAG per job up to the 256 jobs of a matrix', () => {
    expect(planMatrix(stacksOf(256, ['111111111111'])).include).toHaveLength(256);
  });

  it('batches FLAGs past 256 jobs without mixing accounts, covering every FLAG once', () => {
    const stacks = stacksOf(600, ['111111111111', '222222222222', '333333333333']);
    const { include } = planMatrix(stacks);
    expect(include.length).toBeLessThanOrEqual(256);
    const dirs = include.flatMap((job) => job.flagDirs.split(' '));
    expect(dirs.sort()).toEqual(stacks.map((s) => s.flagDir).sort());
    for (const job of include) {
      const accounts = new Set(job.flagDirs.split(' ').map((d) => stacks.find((s) => s.flagDir === d)?.accountId));
      expect([...accounts]).toEqual([job.accountId]);
    }
  });

  it('leaves planRoleArn empty for an account without one, so the job can say so', () => {
    const [only] = stacksOf(1, ['111111111111']);
    const { planRoleArn: _dropped, ...withoutRole } = only as AffectedStack;
    expect(planMatrix([withoutRole]).include[0]?.planRoleArn).toBe('');
  });

  it('refuses more accounts than jobs', () => {
    const accounts = ['111111111111', '222222222222', '333333333333'];
    expect(() => planMatrix(stacksOf(3, accounts), 2)).toThrow(AffectedError);
  });
});
