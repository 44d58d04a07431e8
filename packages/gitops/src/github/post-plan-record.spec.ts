import { buildPlanRecord, type StackResult } from '../plan/record';
import { readPlanMetadata, renderPlanComment } from '../plan-markdown/render';
import { FakeGitHub, type FakeUser } from './__fixtures__/fake-github';
import type { GitHubEnvironment } from './environment';
import { readPlanRecordMarker } from './plan-record-body';
import { postPlanRecord } from './post-plan-record';

const HEAD = 'abcdef0123456789abcdef0123456789abcdef01';
const AUTHOR: FakeUser = { login: 'alice', type: 'User' };
const REVIEWER: FakeUser = { login: 'bob', type: 'User' };
const ONE_COMMENT = /^\/repos\/acme\/infra\/issues\/comments\/\d+$/;

function summary(fingerprint: string, runId: string): StackResult {
  return {
    kind: 'kitt-stack-result',
    version: 1,
    flagId: 'payments-dev-eu-west-2',
    stack: 'payments-dev-eu-west-2-flag',
    layer: 'flag',
    status: 'changes',
    fingerprint,
    configHash: 'c1',
    headSha: HEAD,
    runId,
  };
}

/** The record `kitt render` writes for one stack planned with `fingerprint` in plan run `runId`. */
const recordOf = (fingerprint: string, runId = '41') =>
  renderPlanComment(buildPlanRecord([summary(fingerprint, runId)], { headSha: HEAD, runId }));

describe('postPlanRecord', () => {
  let fake: FakeGitHub;
  let env: GitHubEnvironment;
  const post = (body: string) => postPlanRecord(fake.client(), env, { pr: 4, body, head: HEAD });
  const records = () => fake.commentsOn(4).filter((c) => readPlanRecordMarker(c.body));

  beforeEach(async () => {
    fake = await FakeGitHub.start({ pullRequests: [{ number: 4, headSha: HEAD, author: AUTHOR.login }] });
    env = { token: 'test-token', owner: 'acme', repo: 'infra', baseUrl: fake.baseUrl };
  });
  afterEach(() => fake.close());

  it('leaves the record of an approved head untouched when a re-run brings the same plan', async () => {
    const first = await post(recordOf('f'.repeat(64)));
    fake.addReview(4, { user: REVIEWER, state: 'APPROVED', commitId: HEAD });
    const before = records().map((c) => ({ ...c }));
    const rerun = await post(recordOf('f'.repeat(64), '42'));
    expect(rerun).toMatchObject({ posted: true, approved: true, result: { action: 'unchanged' } });
    expect(rerun.posted && rerun.result.commentId).toBe(first.posted && first.result.commentId);
    expect(fake.requestsTo('PATCH', ONE_COMMENT)).toHaveLength(0);
    expect(records()).toEqual(before);
  });

  it('posts a changed plan for an approved head as a new record and minimizes the approved one, never editing it', async () => {
    const first = await post(recordOf('f'.repeat(64)));
    const approvedId = first.posted ? first.result.commentId : 0;
    fake.addReview(4, { user: REVIEWER, state: 'APPROVED', commitId: HEAD });
    const rerun = await post(recordOf('e'.repeat(64), '42'));
    expect(rerun).toMatchObject({
      posted: true,
      approved: true,
      result: { action: 'created', minimized: [approvedId] },
    });
    expect(fake.requestsTo('PATCH', ONE_COMMENT)).toHaveLength(0);
    const [approved, fresh] = records();
    expect(approved).toMatchObject({ id: approvedId, minimized: true, classifier: 'OUTDATED' });
    expect(readPlanMetadata(approved?.body ?? '')?.stacks[0]?.fingerprint).toBe('f'.repeat(64));
    expect(readPlanMetadata(fresh?.body ?? '')?.stacks[0]?.fingerprint).toBe('e'.repeat(64));
    expect(readPlanRecordMarker(fresh?.body)).toEqual({ head: HEAD });
  });

  it('still updates the record of an unapproved head in place', async () => {
    const first = await post(recordOf('f'.repeat(64)));
    const rerun = await post(recordOf('e'.repeat(64), '42'));
    expect(rerun).toMatchObject({ posted: true, approved: false, result: { action: 'updated' } });
    expect(rerun.posted && rerun.result.commentId).toBe(first.posted && first.result.commentId);
    expect(records()).toHaveLength(1);
  });

  it("takes the author's own approval for no approval: the record is updated in place", async () => {
    await post(recordOf('f'.repeat(64)));
    fake.addReview(4, { user: AUTHOR, state: 'APPROVED', commitId: HEAD });
    const rerun = await post(recordOf('e'.repeat(64), '42'));
    expect(rerun).toMatchObject({ posted: true, approved: false, result: { action: 'updated' } });
  });

  it('takes an approval of an older commit for no approval of the head', async () => {
    await post(recordOf('f'.repeat(64)));
    fake.addReview(4, { user: REVIEWER, state: 'APPROVED', commitId: '0'.repeat(40) });
    const rerun = await post(recordOf('e'.repeat(64), '42'));
    expect(rerun).toMatchObject({ posted: true, approved: false, result: { action: 'updated' } });
  });

  it('finds an approval on the second page of reviews', async () => {
    await post(recordOf('f'.repeat(64)));
    for (let i = 0; i < 100; i++) fake.addReview(4, { user: REVIEWER, state: 'COMMENTED', commitId: HEAD });
    fake.addReview(4, { user: REVIEWER, state: 'APPROVED', commitId: HEAD });
    const rerun = await post(recordOf('e'.repeat(64), '42'));
    expect(rerun).toMatchObject({ posted: true, approved: true, result: { action: 'created' } });
    expect(fake.requestsTo('GET', /\/pulls\/4\/reviews$/).map((r) => r.query['page'])).toContain('2');
  });

  it('fails naming the reviews, and edits nothing, when GitHub refuses to list them', async () => {
    await post(recordOf('f'.repeat(64)));
    fake.failNext({ method: 'GET', path: /\/pulls\/4\/reviews$/, status: 404, body: { message: 'Not Found' } });
    await expect(post(recordOf('e'.repeat(64), '42'))).rejects.toThrow(/listing the reviews of acme\/infra#4/);
    expect(fake.requestsTo('PATCH', ONE_COMMENT)).toHaveLength(0);
  });
});
