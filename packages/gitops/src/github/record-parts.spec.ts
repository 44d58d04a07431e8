import { generatedRecord } from '../plan/__fixtures__/generated-record';
import { readPlanMetadata, renderPlanComment } from '../plan-markdown/render';
import { joinRecordParts, splitRecordParts } from '../plan-markdown/split-record';
import { FakeGitHub } from './__fixtures__/fake-github';
import { readPlanRecordMarker, withPlanRecordMarker } from './plan-record-body';
import type { CommentAuthor } from './identity';
import { publishPlanRecord, type PublishPlanRecordInput } from './plan-record-comment';
import { assignParts, recordBodies } from './record-parts';

const HEAD_1 = 'aaaaaaa1111111111111111111111111111111111';
const HEAD_2 = 'bbbbbbb2222222222222222222222222222222222';
const KITT: CommentAuthor = { login: 'github-actions[bot]', source: 'viewer' };
const ONE_COMMENT = /^\/repos\/acme\/infra\/issues\/comments\/\d+$/;
const parts = (n: number, text = 'part') =>
  joinRecordParts(Array.from({ length: n }, (_, i) => `# ${text} ${i + 1} of ${n}\n`));

describe('assignParts', () => {
  it('gives each part the comment of the same part number, and a one-comment record part 1', () => {
    const { slots, surplus } = assignParts([{ id: 1 }, { id: 2, part: { index: 2, count: 2 } }], 3);
    expect(slots.map((s) => s?.id)).toEqual([1, 2, undefined]);
    expect(surplus).toEqual([]);
  });

  it('leaves over the parts a shorter record no longer has', () => {
    const existing = [1, 2, 3].map((index) => ({ id: index, part: { index, count: 3 } }));
    expect(assignParts(existing, 1)).toMatchObject({ slots: [{ id: 1 }], surplus: [{ id: 2 }, { id: 3 }] });
  });

  it('keeps the newest of two comments claiming the same part', () => {
    expect(assignParts([{ id: 1 }, { id: 2 }], 1)).toMatchObject({ slots: [{ id: 2 }], duplicates: [{ id: 1 }] });
  });
});

describe('the marker of a part', () => {
  it('reads back the head and the part number it was written with', () => {
    const body = withPlanRecordMarker('# Plan\n', HEAD_1, { index: 2, count: 3 });
    expect(body.split('\n')[0]).toBe(`<!-- kitt:plan-record head=${HEAD_1} part=2/3 -->`);
    expect(readPlanRecordMarker(body)).toEqual({ head: HEAD_1, part: { index: 2, count: 3 } });
  });

  it('writes no part number for a record in one comment', () => {
    expect(withPlanRecordMarker('x', HEAD_1, { index: 1, count: 1 })).toBe(
      `<!-- kitt:plan-record head=${HEAD_1} -->\nx`,
    );
  });

  it('does not take a part number past the count for a part', () => {
    expect(readPlanRecordMarker(`<!-- kitt:plan-record head=${HEAD_1} part=4/3 -->`)).toEqual({ head: HEAD_1 });
  });
});

describe('recordBodies', () => {
  it('refuses a body whose part separators are broken, as bad input', () => {
    const broken = parts(3).replace('<!-- kitt:plan-part 2/3 -->', '<!-- kitt:plan-part 3/3 -->');
    expect(() => recordBodies(broken)).toThrow(expect.objectContaining({ code: 'GITHUB_BAD_INPUT' }));
  });
});

describe('publishPlanRecord with a record in several parts', () => {
  let fake: FakeGitHub;
  const publish = (input: Partial<PublishPlanRecordInput>) =>
    publishPlanRecord(fake.client(), { owner: 'acme', repo: 'infra', pr: 4, body: parts(3), author: KITT, ...input });
  const records = () => fake.commentsOn(4).filter((c) => readPlanRecordMarker(c.body));

  beforeEach(async () => {
    fake = await FakeGitHub.start();
  });
  afterEach(() => fake.close());

  it('posts each part as a comment marked with the head and its part number, in order', async () => {
    const result = await publish({ head: HEAD_1 });
    expect(result).toMatchObject({ action: 'created', deleted: [], minimized: [] });
    expect(result.parts.map((p) => p.action)).toEqual(['created', 'created', 'created']);
    expect(records().map((c) => c.body.split('\n').slice(0, 2).join(' | '))).toEqual([
      `<!-- kitt:plan-record head=${HEAD_1} part=1/3 --> | # part 1 of 3`,
      `<!-- kitt:plan-record head=${HEAD_1} part=2/3 --> | # part 2 of 3`,
      `<!-- kitt:plan-record head=${HEAD_1} part=3/3 --> | # part 3 of 3`,
    ]);
    expect(result.commentId).toBe(records()[0]?.id);
  });

  it('updates every part in place for the same head, and leaves alone the parts that did not change', async () => {
    const first = await publish({ head: HEAD_1 });
    const body = joinRecordParts(['# part 1 of 3\n', '# part 2 of 3, re-planned\n', '# part 3 of 3\n']);
    const second = await publish({ head: HEAD_1, body });
    expect(second.action).toBe('updated');
    expect(second.parts.map((p) => p.action)).toEqual(['unchanged', 'updated', 'unchanged']);
    expect(second.parts.map((p) => p.commentId)).toEqual(first.parts.map((p) => p.commentId));
    expect(fake.requestsTo('PATCH', ONE_COMMENT)).toHaveLength(1);
    expect(records()).toHaveLength(3);
  });

  it('posts the parts a longer record adds after the ones it updates', async () => {
    await publish({ head: HEAD_1, body: '# one comment\n' });
    const result = await publish({ head: HEAD_1, body: parts(2) });
    expect(result.parts.map((p) => p.action)).toEqual(['updated', 'created']);
    expect(records().map((c) => readPlanRecordMarker(c.body)?.part)).toEqual([
      { index: 1, count: 2 },
      { index: 2, count: 2 },
    ]);
  });

  it('deletes the parts a shorter record for the same head no longer has', async () => {
    const first = await publish({ head: HEAD_1 });
    const result = await publish({ head: HEAD_1, body: '# now one comment\n' });
    expect(result.deleted).toEqual(first.parts.slice(1).map((p) => p.commentId));
    expect(records()).toHaveLength(1);
    expect(records()[0]?.body).toBe(`<!-- kitt:plan-record head=${HEAD_1} -->\n# now one comment\n`);
    expect(result.minimized).toEqual([]);
  });

  it('fails naming the operation when a part it no longer has cannot be deleted, after writing the others', async () => {
    await publish({ head: HEAD_1 });
    fake.failNext({
      method: 'DELETE',
      path: ONE_COMMENT,
      status: 403,
      body: { message: 'Resource not accessible by integration' },
    });
    await expect(publish({ head: HEAD_1, body: '# one\n' })).rejects.toMatchObject({
      code: 'GITHUB_API_ERROR',
      details: { status: 403, operation: 'deleting the parts the plan record no longer has on acme/infra#4' },
    });
    expect(records()[0]?.body).toContain('# one');
  });

  it('minimizes every part of the older record when a new head comes, after the new record is posted', async () => {
    const first = await publish({ head: HEAD_1 });
    const second = await publish({ head: HEAD_2, body: parts(2, 'new') });
    expect(second.minimized).toEqual(first.parts.map((p) => p.commentId));
    expect(records().map((c) => c.minimized)).toEqual([true, true, true, false, false]);
    const order = fake.requests.filter((r) => r.method === 'POST').map((r) => r.path);
    expect(order.slice(3)).toEqual([
      '/repos/acme/infra/issues/4/comments',
      '/repos/acme/infra/issues/4/comments',
      '/graphql',
      '/graphql',
      '/graphql',
      '/graphql',
    ]);
  });

  it('posts a changed record of an approved head as new parts and minimizes every approved part, editing none', async () => {
    const approved = await publish({ head: HEAD_1 });
    const fresh = await publish({ head: HEAD_1, body: parts(2, 'changed'), approved: true });
    expect(fresh.parts.map((p) => p.action)).toEqual(['created', 'created']);
    expect(fresh.minimized).toEqual(approved.parts.map((p) => p.commentId));
    expect(records().map((c) => c.minimized)).toEqual([true, true, true, false, false]);
    expect(fake.requestsTo('PATCH', ONE_COMMENT)).toHaveLength(0);
    expect(fake.requestsTo('DELETE', ONE_COMMENT)).toHaveLength(0);
  });

  it('compares a re-run of an approved head with its newest record only, and then leaves it alone', async () => {
    await publish({ head: HEAD_1 });
    const fresh = await publish({ head: HEAD_1, body: parts(2, 'changed'), approved: true });
    const again = await publish({ head: HEAD_1, body: parts(2, 'changed'), approved: true });
    expect(again).toMatchObject({ action: 'unchanged', commentId: fresh.commentId, minimized: [] });
    expect(again.parts.map((p) => p.commentId)).toEqual(fresh.parts.map((p) => p.commentId));
    expect(records()).toHaveLength(5);
  });

  it('updates every part of the newest record when no head is given', async () => {
    await publish({ head: HEAD_1 });
    const result = await publish({ body: parts(3, 're-rendered') });
    expect(result.parts.map((p) => p.action)).toEqual(['updated', 'updated', 'updated']);
    expect(records().every((c) => readPlanRecordMarker(c.body)?.head === HEAD_1)).toBe(true);
  });

  it('posts, updates and minimizes a rendered 3,000-stack record as one, within the comment limit', async () => {
    const { record } = generatedRecord({ stacks: 3_000 });
    const rendered = renderPlanComment(record);
    const count = splitRecordParts(rendered).length;
    expect(count).toBeGreaterThan(1);
    const first = await publish({ head: HEAD_1, body: rendered });
    expect(first.parts).toHaveLength(count);
    expect(first.summaryOnly).toBe(false);
    const posted = records().map((c) => c.body);
    for (const body of posted) expect(body.length).toBeLessThanOrEqual(65_536);
    const visible = posted.join('').replace(/<!--[\s\S]*?-->/g, '');
    for (const s of record.stacks) expect(visible).toContain(s.stack);

    // The apply guard reads every part: their bodies together give back the record's metadata.
    expect(readPlanMetadata(posted.join('\n'))).toEqual(readPlanMetadata(rendered));

    const again = await publish({ head: HEAD_1, body: rendered });
    expect(again.action).toBe('unchanged');
    const next = await publish({ head: HEAD_2, body: renderPlanComment({ ...record, headSha: HEAD_2 }) });
    expect(next.minimized).toEqual(first.parts.map((p) => p.commentId));
  });
});
