import { ACTIONS_BOT, FakeGitHub, SECONDARY_RATE_LIMIT_MESSAGE, STRANGER } from './__fixtures__/fake-github';
import { GitHubError } from './errors';
import type { CommentAuthor } from './identity';
import { DETAILS_START_MARKER, readPlanRecordMarker } from './plan-record-body';
import { publishPlanRecord, type PublishPlanRecordInput } from './plan-record-comment';

const HEAD_1 = 'aaaaaaa1111111111111111111111111111111111';
const HEAD_2 = 'bbbbbbb2222222222222222222222222222222222';
const SUMMARY =
  '# Plan: acme-prod-us-east-1\n\n| stack | add | change | destroy |\n| --- | --- | --- | --- |\n| flag | 12 | 0 | 0 |\n';
const record = (details = 'aws_vpc.main will be created'): string =>
  `${SUMMARY}\n${DETAILS_START_MARKER}\n<details><summary>acme-prod-us-east-1-flag</summary>\n\n${details}\n</details>\n`;

const COMMENTS = /^\/repos\/acme\/infra\/issues\/4\/comments$/;
const KITT: CommentAuthor = { login: 'github-actions[bot]', source: 'viewer' };
const withMarker = (head: string, body = record()) => `<!-- kitt:plan-record head=${head} -->\n${body}`;
const ONE_COMMENT = /^\/repos\/acme\/infra\/issues\/comments\/\d+$/;

describe('publishPlanRecord', () => {
  let fake: FakeGitHub;
  const publish = (input: Partial<PublishPlanRecordInput> = {}) =>
    publishPlanRecord(fake.client(), { owner: 'acme', repo: 'infra', pr: 4, body: record(), author: KITT, ...input });
  const records = () => fake.commentsOn(4).filter((c) => readPlanRecordMarker(c.body));

  beforeEach(async () => {
    fake = await FakeGitHub.start({ maxBodyChars: 2_000 });
  });
  afterEach(() => fake.close());

  it('creates the record, marked with its head, on the first run', async () => {
    fake.seed(4, ['Looks good to me']);
    const result = await publish({ head: HEAD_1 });
    expect(result).toMatchObject({ action: 'created', minimized: [], summaryOnly: false });
    expect(records()).toHaveLength(1);
    expect(records()[0]?.id).toBe(result.commentId);
    expect(records()[0]?.body).toBe(`<!-- kitt:plan-record head=${HEAD_1} -->\n${record()}`);
    expect(result.url).toBe(`https://github.com/acme/infra/pull/4#issuecomment-${result.commentId}`);
  });

  it('updates the record of the same head in place instead of adding one', async () => {
    const first = await publish({ head: HEAD_1 });
    const second = await publish({ head: HEAD_1, body: record('aws_vpc.main will be updated in-place') });
    expect(second).toMatchObject({ action: 'updated', commentId: first.commentId, minimized: [] });
    expect(records()).toHaveLength(1);
    expect(records()[0]?.body).toContain('will be updated in-place');
  });

  it('leaves the record alone when the same head brings the same body', async () => {
    const first = await publish({ head: HEAD_1 });
    const second = await publish({ head: HEAD_1 });
    expect(second).toMatchObject({ action: 'unchanged', commentId: first.commentId });
    expect(fake.requestsTo('PATCH', ONE_COMMENT)).toHaveLength(0);
    expect(fake.requestsTo('POST', COMMENTS)).toHaveLength(1);
  });

  it('updates the newest record, keeping its head, when no head is given', async () => {
    await publish({ head: HEAD_1 });
    const newest = await publish({ head: HEAD_2 });
    const result = await publish({ body: record('re-rendered') });
    expect(result).toMatchObject({ action: 'updated', commentId: newest.commentId });
    expect(readPlanRecordMarker(fake.commentsOn(4).find((c) => c.id === newest.commentId)?.body)).toEqual({
      head: HEAD_2,
    });
    expect(records()).toHaveLength(2);
  });

  it('finds the record on page 3 of the comments', async () => {
    fake.seed(
      4,
      Array.from({ length: 230 }, (_, i) => `comment ${i}`),
    );
    const first = await publish({ head: HEAD_1 });
    fake.seed(
      4,
      Array.from({ length: 20 }, (_, i) => `later comment ${i}`),
    );
    const pagesBefore = fake.requestsTo('GET', COMMENTS).length;

    const second = await publish({ head: HEAD_1, body: record('changed') });
    expect(second).toMatchObject({ action: 'updated', commentId: first.commentId });
    expect(records()).toHaveLength(1);
    const pages = fake
      .requestsTo('GET', COMMENTS)
      .slice(pagesBefore)
      .map((r) => r.query['page'] ?? '1');
    expect(pages).toEqual(['1', '2', '3']);
  });

  it('creates a new record for a new head and minimizes the previous one as outdated', async () => {
    const first = await publish({ head: HEAD_1 });
    const second = await publish({ head: HEAD_2 });
    expect(second).toMatchObject({ action: 'created', minimized: [first.commentId] });
    expect(second.commentId).not.toBe(first.commentId);
    const [older, newer] = records();
    expect(older).toMatchObject({ id: first.commentId, minimized: true, classifier: 'OUTDATED' });
    expect(newer).toMatchObject({ id: second.commentId, minimized: false });
  });

  it('posts the new record before it minimizes the old one', async () => {
    await publish({ head: HEAD_1 });
    await publish({ head: HEAD_2 });
    const order = fake.requests.map((r) => `${r.method} ${r.path}`).filter((r) => r.startsWith('POST'));
    expect(order).toEqual([
      'POST /repos/acme/infra/issues/4/comments',
      'POST /repos/acme/infra/issues/4/comments',
      'POST /graphql',
      'POST /graphql',
    ]);
    const mutation = fake.requestsTo('POST', /^\/graphql$/)[1]?.body as { query: string };
    expect(mutation.query).toContain('minimizeComment');
  });

  it('does not minimize a record that is already minimized', async () => {
    const first = await publish({ head: HEAD_1 });
    const second = await publish({ head: HEAD_2 });
    const third = await publish({ head: 'ccccccc3333333333333333333333333333333333' });
    expect(third.minimized).toEqual([second.commentId]);
    const mutations = fake.requests.filter((r) => /minimizeComment/.test((r.body as { query?: string })?.query ?? ''));
    expect(mutations).toHaveLength(2);
    expect(records().map((r) => r.minimized)).toEqual([true, true, false]);
    expect(first.minimized).toEqual([]);
  });

  it('retries a 502 and still posts exactly one record', async () => {
    fake.failNext({ method: 'GET', path: COMMENTS, status: 502, body: { message: 'Server Error' } });
    const result = await publish({ head: HEAD_1 });
    expect(result.action).toBe('created');
    expect(fake.requestsTo('GET', COMMENTS)).toHaveLength(2);
    expect(records()).toHaveLength(1);
  });

  it('retries a secondary rate limit on posting the record', async () => {
    fake.failNext({
      method: 'POST',
      path: COMMENTS,
      status: 403,
      headers: { 'retry-after': '1' },
      body: { message: SECONDARY_RATE_LIMIT_MESSAGE, documentation_url: 'https://docs.github.com/rest' },
    });
    const result = await publish({ head: HEAD_1 });
    expect(result.action).toBe('created');
    expect(fake.requestsTo('POST', COMMENTS)).toHaveLength(2);
    expect(records()).toHaveLength(1);
  });

  it('posts the summary only when GitHub refuses the full body as too large', async () => {
    const result = await publish({
      head: HEAD_1,
      body: record('x'.repeat(5_000)),
      detailsUrl: 'https://github.com/acme/infra/actions/runs/9',
    });
    expect(result).toMatchObject({ action: 'created', summaryOnly: true });
    expect(records()).toHaveLength(1);
    const body = records()[0]?.body ?? '';
    expect(readPlanRecordMarker(body)).toEqual({ head: HEAD_1 });
    expect(body).toContain(SUMMARY.trimEnd());
    expect(body).not.toContain('xxxxx');
    expect(body).toContain('(https://github.com/acme/infra/actions/runs/9)');
  });

  it('updates the record with the summary only when the new body is too large', async () => {
    const first = await publish({ head: HEAD_1 });
    const result = await publish({ head: HEAD_1, body: record('y'.repeat(5_000)) });
    expect(result).toMatchObject({ action: 'updated', commentId: first.commentId, summaryOnly: true });
    expect(records()).toHaveLength(1);
    expect(records()[0]?.body).toContain('did not fit in a pull request comment');
  });

  it('leaves a summary-only record alone when the same too-large body comes again', async () => {
    await publish({ head: HEAD_1, body: record('z'.repeat(5_000)) });
    const again = await publish({ head: HEAD_1, body: record('z'.repeat(5_000)) });
    expect(again).toMatchObject({ action: 'unchanged', summaryOnly: true });
    // The one PATCH is the full body, refused with 422; the summary it falls back to is already there.
    expect(fake.requestsTo('PATCH', ONE_COMMENT)).toHaveLength(1);
    expect(JSON.stringify(fake.requestsTo('PATCH', ONE_COMMENT)[0]?.body)).toContain('zzzzz');
  });

  it('fails with the status and reason when the pull request does not exist', async () => {
    const failure = publish({ pr: 99, head: HEAD_1 });
    await expect(failure).rejects.toBeInstanceOf(GitHubError);
    await expect(failure).rejects.toMatchObject({
      code: 'GITHUB_API_ERROR',
      details: { status: 404, operation: 'listing comments on acme/infra#99' },
      message: expect.stringContaining('HTTP 404 Not Found'),
    });
  });

  it('fails with the status and reason when the token is refused', async () => {
    const refused = publishPlanRecord(fake.client({ token: 'wrong' }), {
      owner: 'acme',
      repo: 'infra',
      pr: 4,
      body: record(),
      author: KITT,
    });
    await expect(refused).rejects.toMatchObject({
      details: { status: 401 },
      message: expect.stringContaining('Bad credentials'),
    });
  });

  it('fails with the reason when a validation error is not about size', async () => {
    fake.failNext({
      method: 'POST',
      path: COMMENTS,
      status: 422,
      body: { message: 'Validation Failed', errors: [{ code: 'locked', field: 'issue', message: 'Issue is locked' }] },
    });
    await expect(publish({ head: HEAD_1 })).rejects.toMatchObject({
      details: { status: 422 },
      message: expect.stringContaining('Issue is locked'),
    });
    expect(records()).toHaveLength(0);
  });

  it('refuses a head that is not a commit SHA before calling GitHub', async () => {
    await expect(publish({ head: 'refs/heads/main' })).rejects.toMatchObject({ code: 'GITHUB_BAD_INPUT' });
    expect(fake.requests).toHaveLength(0);
  });

  describe('whose comments count', () => {
    it("neither edits nor minimizes a stranger's comment that carries the marker, and posts its own record", async () => {
      const [planted] = fake.seed(4, [withMarker(HEAD_1, record('approve me'))], STRANGER);
      const result = await publish({ head: HEAD_1 });
      expect(result).toMatchObject({ action: 'created', minimized: [] });
      expect(result.commentId).not.toBe(planted?.id);
      expect(fake.commentsOn(4).find((c) => c.id === planted?.id)).toMatchObject({
        body: withMarker(HEAD_1, record('approve me')),
        minimized: false,
      });
      expect(fake.requestsTo('PATCH', ONE_COMMENT)).toHaveLength(0);
      expect(fake.commentsOn(4).find((c) => c.id === result.commentId)?.author).toEqual(ACTIONS_BOT);
    });

    it("does not update a stranger's newer marker comment when no head is given", async () => {
      const own = await publish({ head: HEAD_1 });
      fake.seed(4, [withMarker(HEAD_2)], STRANGER);
      const result = await publish({ body: record('re-rendered') });
      expect(result).toMatchObject({ action: 'updated', commentId: own.commentId, minimized: [] });
    });

    it('keeps its own current record visible when a stranger posts a marker comment for another head', async () => {
      const own = await publish({ head: HEAD_2 });
      const [planted] = fake.seed(4, [withMarker(HEAD_1)], STRANGER);
      const again = await publish({ head: HEAD_2, body: record('changed') });
      expect(again).toMatchObject({ action: 'updated', commentId: own.commentId, minimized: [] });
      expect(fake.commentsOn(4).map((c) => c.minimized)).toEqual([false, false]);
      expect(fake.commentsOn(4).find((c) => c.id === planted?.id)?.body).toBe(withMarker(HEAD_1));
    });

    it("minimizes only its own older records, never a stranger's", async () => {
      const first = await publish({ head: HEAD_1 });
      const [planted] = fake.seed(4, [withMarker(HEAD_1)], STRANGER);
      const second = await publish({ head: HEAD_2 });
      expect(second.minimized).toEqual([first.commentId]);
      expect(fake.commentsOn(4).find((c) => c.id === planted?.id)?.minimized).toBe(false);
    });

    it("takes the app's comments for its own when the identity names the app without [bot]", async () => {
      const first = await publish({ head: HEAD_1, author: { login: 'github-actions', source: 'viewer' } });
      const second = await publish({
        head: HEAD_1,
        body: record('changed'),
        author: { login: 'github-actions', source: 'viewer' },
      });
      expect(second).toMatchObject({ action: 'updated', commentId: first.commentId });
    });
  });
});
