import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeGitHub, STRANGER, type FakeUser } from '../../github/__fixtures__/fake-github';
import { createGitHubClient } from '../../github/client';
import { DETAILS_START_MARKER, readPlanRecordMarker } from '../../github/plan-record-body';
import { joinRecordParts } from '../../plan-markdown/split-record';
import { optionArgs, runKittIn } from '../__fixtures__/run-kitt';
import { createCommentCommand } from './comment';

const HEAD = 'abcdef0123456789abcdef0123456789abcdef01';
const MARKDOWN = `# Plan: acme-prod-us-east-1\n\n| stack | add |\n| --- | --- |\n| flag | 12 |\n${DETAILS_START_MARKER}\n<details>aws_vpc.main</details>\n`;

/** The command with a client whose back-off takes milliseconds. */
const command = createCommentCommand({
  createClient: (options) =>
    createGitHubClient({ ...options, retryDelayUnitMs: 1, minWriteIntervalMs: 0, minNotifyingWriteIntervalMs: 0 }),
});

describe('kitt comment', () => {
  let fake: FakeGitHub;
  let dir: string;
  let out: string[];
  let err: string[];

  beforeEach(async () => {
    fake = await FakeGitHub.start({ pullRequests: [{ number: 4, headSha: HEAD }] });
    dir = mkdtempSync(join(tmpdir(), 'kitt-comment-'));
    writeFileSync(join(dir, 'plan-comment.md'), MARKDOWN);
    out = [];
    err = [];
  });
  afterEach(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** `kitt comment` through the CLI's edge; what it prints is kept in `out` and `err`. */
  const run = async (values: Record<string, string | boolean>, env: Record<string, string | undefined> = {}) => {
    const { code, stdout, stderr } = await runKittIn(
      ['comment', ...optionArgs({ 'body-file': 'plan-comment.md', ...values })],
      {
        cwd: dir,
        env: { GITHUB_TOKEN: 'test-token', GITHUB_REPOSITORY: 'acme/infra', GITHUB_API_URL: fake.baseUrl, ...env },
        loaders: [{ name: 'comment', summary: '', load: () => command }],
      },
    );
    if (stdout) out.push(stdout);
    if (stderr) err.push(stderr);
    return code;
  };

  it('posts the record and says what it did', async () => {
    expect(await run({ pr: '4', head: HEAD })).toBe(0);
    const [comment] = fake.commentsOn(4);
    expect(readPlanRecordMarker(comment?.body)).toEqual({ head: HEAD });
    expect(out.join('')).toBe(
      `✓ plan record created on acme/infra#4 for head ${HEAD.slice(0, 12)}: https://github.com/acme/infra/pull/4#issuecomment-${comment?.id}\n`,
    );
  });

  it('updates the record on a second run for the same head', async () => {
    await run({ pr: '4', head: HEAD });
    writeFileSync(join(dir, 'plan-comment.md'), MARKDOWN.replace('12', '13'));
    expect(await run({ pr: '4', head: HEAD })).toBe(0);
    expect(fake.commentsOn(4)).toHaveLength(1);
    expect(out[1]).toMatch(/^✓ plan record updated on acme\/infra#4/);
  });

  it('posts a changed plan for an approved head as a new record, and says why', async () => {
    await run({ pr: '4', head: HEAD });
    fake.addReview(4, { user: STRANGER, state: 'APPROVED', commitId: HEAD });
    writeFileSync(join(dir, 'plan-comment.md'), MARKDOWN.replace('12', '13'));
    expect(await run({ pr: '4', head: HEAD })).toBe(0);
    expect(fake.commentsOn(4).map((c) => c.minimized)).toEqual([true, false]);
    expect(out[1]).toMatch(/^✓ plan record created on acme\/infra#4/);
    expect(out[1]).toContain(
      '! the head is approved: its record is not edited; the plan changed, so a new record was posted and needs approval\n',
    );
  });

  it('leaves the record of an approved head alone when the plan is the same, and says why', async () => {
    await run({ pr: '4', head: HEAD });
    fake.addReview(4, { user: STRANGER, state: 'APPROVED', commitId: HEAD });
    expect(await run({ pr: '4', head: HEAD })).toBe(0);
    expect(fake.commentsOn(4)).toHaveLength(1);
    expect(out[1]).toContain(
      '! the head is approved: its record is not edited; the plan is the same, so the approved record stays as it is\n',
    );
  });

  it('links the posted record in GITHUB_STEP_SUMMARY, where kitt render wrote the record itself', async () => {
    const summary = join(dir, 'step-summary.md');
    writeFileSync(summary, '# Earlier step\n');
    expect(await run({ pr: '4', head: HEAD }, { GITHUB_STEP_SUMMARY: summary })).toBe(0);
    const [comment] = fake.commentsOn(4);
    expect(readFileSync(summary, 'utf8')).toBe(
      `# Earlier step\n\nThe plan record is posted on the pull request: [plan record](https://github.com/acme/infra/pull/4#issuecomment-${comment?.id}).\n`,
    );
  });

  it('posts a record rendered in parts as one comment per part, and says so', async () => {
    writeFileSync(join(dir, 'plan-comment.md'), joinRecordParts([MARKDOWN, '**Plan record, part 2 of 2**\n']));
    expect(await run({ pr: '4', head: HEAD })).toBe(0);
    const comments = fake.commentsOn(4);
    expect(comments.map((c) => readPlanRecordMarker(c.body))).toEqual([
      { head: HEAD, part: { index: 1, count: 2 } },
      { head: HEAD, part: { index: 2, count: 2 } },
    ]);
    expect(out.join('')).toContain(
      `✓ in 2 comments: part 1 created ${comments[0]?.id !== undefined ? `https://github.com/acme/infra/pull/4#issuecomment-${comments[0].id}` : ''}, part 2 created`,
    );
  });

  it('exits 1 and posts nothing when the parts of the body file are broken', async () => {
    const parts = joinRecordParts([MARKDOWN, 'two\n', 'three\n']);
    writeFileSync(join(dir, 'plan-comment.md'), parts.replace('<!-- kitt:plan-part 3/3 -->\nthree\n', ''));
    expect(await run({ pr: '4', head: HEAD })).toBe(1);
    expect(err.join('')).toContain('the record says it has 3 parts but holds 2');
    expect(fake.requests).toHaveLength(0);
  });

  it('exits 1 with the status and reason when the pull request is not found', async () => {
    expect(await run({ pr: '99', head: HEAD })).toBe(1);
    expect(err.join('')).toMatch(/^✗ kitt comment: reading the head of acme\/infra#99 failed: HTTP 404 Not Found/m);
    expect(await run({ pr: '99' })).toBe(1);
    expect(err.join('')).toMatch(/^✗ kitt comment: listing comments on acme\/infra#99 failed: HTTP 404 Not Found/m);
  });

  it('posts nothing for a head the pull request has moved on from', async () => {
    const older = 'fedcba9876543210fedcba9876543210fedcba98';
    expect(await run({ pr: '4', head: HEAD })).toBe(0);
    expect(await run({ pr: '4', head: older })).toBe(0);
    expect(out[1]).toBe(
      `! acme/infra#4 has moved on to head ${HEAD.slice(0, 12)}: the record for ${older.slice(0, 12)} is not posted\n`,
    );
    expect(fake.commentsOn(4)).toHaveLength(1);
    expect(fake.commentsOn(4)[0]?.minimized).toBe(false);
  });

  it('exits 1 with the status and reason when the token is refused', async () => {
    expect(await run({ pr: '4' }, { GITHUB_TOKEN: 'expired' })).toBe(1);
    expect(err.join('')).toContain('HTTP 401 Bad credentials');
    expect(fake.commentsOn(4)).toHaveLength(0);
  });

  it('records in the job summary why the record could not be posted', async () => {
    const summary = join(dir, 'step-summary.md');
    expect(await run({ pr: '4' }, { GITHUB_TOKEN: 'expired', GITHUB_STEP_SUMMARY: summary })).toBe(1);
    const written = readFileSync(summary, 'utf8');
    expect(written.startsWith('\n> [!CAUTION]\n')).toBe(true);
    expect(written).toContain('The plan record could not be posted on the pull request');
    expect(written).toContain('Bad credentials');
  });

  it('names every missing GitHub variable and calls nothing', async () => {
    expect(await run({ pr: '4' }, { GITHUB_TOKEN: undefined, GITHUB_REPOSITORY: undefined })).toBe(1);
    expect(err.join('')).toContain('GITHUB_TOKEN is not set');
    expect(err.join('')).toContain('GITHUB_REPOSITORY is not set');
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses a GITHUB_REPOSITORY that is not owner/repo', async () => {
    expect(await run({ pr: '4' }, { GITHUB_REPOSITORY: 'infra' })).toBe(1);
    expect(err.join('')).toContain("GITHUB_REPOSITORY must be owner/repo, got 'infra'");
  });

  it('exits 1 naming the body file it cannot read', async () => {
    expect(await run({ pr: '4', 'body-file': 'missing.md' })).toBe(1);
    expect(err.join('')).toContain("cannot read --body-file 'missing.md'");
    expect(fake.requests).toHaveLength(0);
  });

  it('treats a missing or malformed --pr as a usage error', async () => {
    expect(await run({})).toBe(2);
    expect(await run({ pr: '4a' })).toBe(2);
    expect(err.join('')).toContain('--pr is required (or --pr-of-head)');
    expect(err.join('')).toContain("--pr must be a pull request number, got '4a'");
  });

  describe("kitt's own identity", () => {
    const APP: FakeUser = { login: 'kitt-app[bot]', type: 'Bot' };
    const planted = `<!-- kitt:plan-record head=${HEAD} -->\n# Plan: nothing to worry about\n`;

    it("posts its own record beside a stranger's marker comment and leaves that one alone", async () => {
      const [theirs] = fake.seed(4, [planted], STRANGER);
      expect(await run({ pr: '4', head: HEAD })).toBe(0);
      expect(fake.commentsOn(4)).toHaveLength(2);
      expect(fake.commentsOn(4)[0]).toMatchObject({ id: theirs?.id, body: planted, minimized: false });
      expect(out.join('')).toMatch(/^✓ plan record created on acme\/infra#4/);
    });

    it('takes KITT_COMMENT_AUTHOR as its identity instead of asking GitHub', async () => {
      await fake.close();
      // A GitHub App token: its viewer answer is not asked for, the override names it.
      fake = await FakeGitHub.start({
        tokenUser: APP,
        viewerLogin: null,
        pullRequests: [{ number: 4, headSha: HEAD }],
      });
      const [own] = fake.seed(4, [`<!-- kitt:plan-record head=${HEAD} -->\nold`], APP);
      expect(await run({ pr: '4', head: HEAD }, { KITT_COMMENT_AUTHOR: 'kitt-app[bot]' })).toBe(0);
      expect(out.join('')).toMatch(/^✓ plan record updated on acme\/infra#4/);
      expect(fake.commentsOn(4)).toHaveLength(1);
      expect(fake.commentsOn(4)[0]?.id).toBe(own?.id);
      expect(fake.requestsTo('POST', /^\/graphql$/)).toHaveLength(0);
    });

    it('exits 1 with GITHUB_IDENTITY_UNKNOWN and writes nothing when GitHub will not say who the token is', async () => {
      await fake.close();
      fake = await FakeGitHub.start({ viewerLogin: null, pullRequests: [{ number: 4, headSha: HEAD }] });
      expect(await run({ pr: '4', head: HEAD })).toBe(1);
      expect(err.join('')).toMatch(/^✗ kitt comment: asking GitHub who this token is .* KITT_COMMENT_AUTHOR/m);
      expect(fake.commentsOn(4)).toHaveLength(0);
      expect(fake.requestsTo('GET', /comments/)).toHaveLength(0);
    });
  });

  describe('--pr-of-head', () => {
    it('posts on the open pull request whose head is --head', async () => {
      expect(await run({ 'pr-of-head': true, head: HEAD })).toBe(0);
      expect(readPlanRecordMarker(fake.commentsOn(4)[0]?.body)).toEqual({ head: HEAD });
    });

    it('exits 1 and posts nothing when no open pull request has that head', async () => {
      await fake.close();
      fake = await FakeGitHub.start({ pullRequests: [{ number: 4, headSha: HEAD, state: 'closed' }] });
      expect(await run({ 'pr-of-head': true, head: HEAD })).toBe(1);
      expect(err.join('')).toContain('none is open with this head');
      expect(fake.commentsOn(4)).toHaveLength(0);
    });

    it('is a usage error without --head, or with --pr', async () => {
      expect(await run({ 'pr-of-head': true })).toBe(2);
      expect(await run({ 'pr-of-head': true, pr: '4', head: HEAD })).toBe(2);
      expect(err.join('')).toContain('--pr-of-head needs --head');
      expect(err.join('')).toContain('give --pr or --pr-of-head, not both');
    });
  });
});
