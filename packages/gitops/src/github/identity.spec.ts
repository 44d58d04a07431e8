import { ACTIONS_BOT, FakeGitHub, STRANGER } from './__fixtures__/fake-github';
import { GitHubError } from './errors';
import { isWrittenBy, resolveCommentAuthor, type CommentAuthor } from './identity';

const as = (login: string): CommentAuthor => ({ login, source: 'viewer' });

describe('resolveCommentAuthor', () => {
  let fake: FakeGitHub | undefined;
  afterEach(() => fake?.close());

  it("asks GitHub's GraphQL viewer who the token is", async () => {
    fake = await FakeGitHub.start();
    await expect(resolveCommentAuthor(fake.client())).resolves.toEqual({
      login: 'github-actions[bot]',
      source: 'viewer',
    });
    expect(fake.requestsTo('POST', /^\/graphql$/)).toHaveLength(1);
    expect(fake.requestsTo('GET', /^\/user$/)).toHaveLength(0);
  });

  it('takes KITT_COMMENT_AUTHOR instead, without asking GitHub', async () => {
    fake = await FakeGitHub.start();
    await expect(resolveCommentAuthor(fake.client(), 'kitt-app[bot]')).resolves.toEqual({
      login: 'kitt-app[bot]',
      source: 'KITT_COMMENT_AUTHOR',
    });
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses a KITT_COMMENT_AUTHOR that is not a login', async () => {
    fake = await FakeGitHub.start();
    await expect(resolveCommentAuthor(fake.client(), 'kitt app; rm -rf')).rejects.toMatchObject({
      code: 'GITHUB_BAD_INPUT',
      details: { field: 'KITT_COMMENT_AUTHOR' },
    });
  });

  it('fails with GITHUB_IDENTITY_UNKNOWN when the viewer query is refused', async () => {
    fake = await FakeGitHub.start({ viewerLogin: null });
    const lookup = resolveCommentAuthor(fake.client());
    await expect(lookup).rejects.toBeInstanceOf(GitHubError);
    await expect(lookup).rejects.toMatchObject({
      code: 'GITHUB_IDENTITY_UNKNOWN',
      message: expect.stringContaining('KITT_COMMENT_AUTHOR'),
    });
  });

  it('fails with GITHUB_IDENTITY_UNKNOWN when the token is refused', async () => {
    fake = await FakeGitHub.start();
    await expect(resolveCommentAuthor(fake.client({ token: 'wrong' }))).rejects.toMatchObject({
      code: 'GITHUB_IDENTITY_UNKNOWN',
      details: { status: 401 },
    });
  });

  it('fails with GITHUB_IDENTITY_UNKNOWN when the viewer has no usable login', async () => {
    fake = await FakeGitHub.start({ viewerLogin: '' });
    await expect(resolveCommentAuthor(fake.client())).rejects.toMatchObject({ code: 'GITHUB_IDENTITY_UNKNOWN' });
  });
});

describe('isWrittenBy', () => {
  it('matches the same login, in any case', () => {
    expect(isWrittenBy(as('github-actions[bot]'), ACTIONS_BOT)).toBe(true);
    expect(isWrittenBy(as('GitHub-Actions[bot]'), ACTIONS_BOT)).toBe(true);
    expect(isWrittenBy(as('alice'), { login: 'alice', type: 'User' })).toBe(true);
  });

  it('takes name and name[bot] for one author when the comment is a Bot', () => {
    expect(isWrittenBy(as('github-actions'), ACTIONS_BOT)).toBe(true);
    expect(isWrittenBy(as('kitt-app[bot]'), { login: 'kitt-app', type: 'Bot' })).toBe(true);
  });

  it("never takes a person's comment for a bot of the same name", () => {
    expect(isWrittenBy(as('dependabot[bot]'), { login: 'dependabot', type: 'User' })).toBe(false);
  });

  it('refuses anyone else, and a deleted account', () => {
    expect(isWrittenBy(as('github-actions[bot]'), STRANGER)).toBe(false);
    expect(isWrittenBy(as('github-actions[bot]'), { login: 'github-actions-fan', type: 'User' })).toBe(false);
    expect(isWrittenBy(as('github-actions[bot]'), { login: 'other-app[bot]', type: 'Bot' })).toBe(false);
    expect(isWrittenBy(as('github-actions[bot]'), null)).toBe(false);
  });
});
