import { FakeGitHub, type FakeUser } from '../github/__fixtures__/fake-github';
import type { GitHubEnvironment } from '../github/environment';
import { postPlanRecord } from '../github/post-plan-record';
import { buildPlanRecord, type StackResult } from '../plan/record';
import { renderPlanComment } from '../plan-markdown/render';
import { gatherEvidence } from './github-evidence';
import { guardApply } from './guard';

const HEAD = 'abcdef0123456789abcdef0123456789abcdef01';
const MERGE = '1234567890123456789012345678901234567890';
const AUTHOR: FakeUser = { login: 'alice', type: 'User' };
const REVIEWER: FakeUser = { login: 'bob', type: 'User' };
const KITT = { login: 'github-actions[bot]', source: 'viewer' } as const;

const recordOf = (fingerprint: string, runId: string) => {
  const result: StackResult = {
    kind: 'kitt-stack-result',
    version: 1,
    flagId: 'payments-dev-eu-west-2',
    stack: 'payments-dev-eu-west-2-flag',
    layer: 'flag',
    status: 'changes',
    fingerprint,
    headSha: HEAD,
    runId,
  };
  return renderPlanComment(buildPlanRecord([result], { headSha: HEAD, runId }));
};

describe('gatherEvidence', () => {
  let fake: FakeGitHub;
  let env: GitHubEnvironment;
  const post = (body: string) => postPlanRecord(fake.client(), env, { pr: 4, body, head: HEAD });
  const gather = () =>
    gatherEvidence(fake.client(), { owner: 'acme', repo: 'infra', commit: MERGE, pr: 4, author: KITT });

  beforeEach(async () => {
    fake = await FakeGitHub.start({ pullRequests: [{ number: 4, headSha: HEAD, author: AUTHOR.login }] });
    env = { token: 'test-token', owner: 'acme', repo: 'infra', baseUrl: fake.baseUrl };
  });
  afterEach(() => fake.close());

  it('reads when the record was last written and when each review was submitted', async () => {
    await post(recordOf('f'.repeat(64), '41'));
    fake.addReview(4, { user: REVIEWER, state: 'APPROVED', commitId: HEAD, submittedAt: '2030-01-01T00:00:00Z' });
    fake.setPullRequest({ number: 4, headSha: HEAD, author: AUTHOR.login, mergeCommitSha: MERGE });
    const [comment] = fake.commentsOn(4);
    const evidence = await gather();
    expect(evidence.record.writtenAt).toBe(comment?.updatedAt);
    expect(evidence.reviews).toEqual([
      { login: 'bob', state: 'APPROVED', commitId: HEAD, submittedAt: '2030-01-01T00:00:00Z' },
    ]);
  });

  it('takes the newest record of an approved head, posted after the approval, which then needs a new one', async () => {
    await post(recordOf('f'.repeat(64), '41'));
    fake.addReview(4, { user: REVIEWER, state: 'APPROVED', commitId: HEAD });
    await post(recordOf('e'.repeat(64), '42'));
    fake.setPullRequest({ number: 4, headSha: HEAD, author: AUTHOR.login, mergeCommitSha: MERGE });
    const evidence = await gather();
    const fresh = fake.commentsOn(4).at(-1);
    expect(evidence.record).toMatchObject({ commentIds: [fresh?.id], writtenAt: fresh?.updatedAt });
    expect(evidence.record.metadata).toMatchObject({ runId: '42', stacks: [{ fingerprint: 'e'.repeat(64) }] });
    const verdict = guardApply(evidence);
    expect(verdict.ok ? [] : verdict.refusals.map((r) => r.message)).toContainEqual(
      expect.stringContaining('predates the record'),
    );
  });
});
