import { FakeGitHub } from './__fixtures__/fake-github';
import { currentHeadOf, pullRequestOfHead } from './pull-request-of-head';

const HEAD = 'abcdef0123456789abcdef0123456789abcdef01';
const OTHER = '1111111111111111111111111111111111111111';

describe('pullRequestOfHead', () => {
  let fake: FakeGitHub | undefined;
  afterEach(() => fake?.close());
  const find = (head = HEAD) =>
    pullRequestOfHead((fake as FakeGitHub).client(), { owner: 'acme', repo: 'infra', head });

  it('finds the open pull request whose head is the commit', async () => {
    fake = await FakeGitHub.start({
      pullRequests: [
        { number: 3, headSha: HEAD, state: 'closed' },
        { number: 4, headSha: HEAD },
        { number: 5, headSha: OTHER },
      ],
    });
    await expect(find()).resolves.toBe(4);
  });

  it("ignores a fork's pull request with the same head", async () => {
    fake = await FakeGitHub.start({ pullRequests: [{ number: 7, headSha: HEAD, headRepository: 'mallory/infra' }] });
    await expect(find()).rejects.toMatchObject({ code: 'GITHUB_PULL_REQUEST_NOT_FOUND' });
  });

  it('refuses to guess between two open pull requests', async () => {
    fake = await FakeGitHub.start({
      pullRequests: [
        { number: 4, headSha: HEAD },
        { number: 8, headSha: HEAD },
      ],
    });
    await expect(find()).rejects.toMatchObject({
      code: 'GITHUB_PULL_REQUEST_NOT_FOUND',
      message: expect.stringContaining('#4, #8'),
    });
  });

  it('fails with GITHUB_PULL_REQUEST_NOT_FOUND when no pull request has the commit', async () => {
    fake = await FakeGitHub.start();
    await expect(find()).rejects.toMatchObject({
      code: 'GITHUB_PULL_REQUEST_NOT_FOUND',
      message: expect.stringContaining('none is open with this head'),
    });
  });

  it('refuses a head that is not a commit SHA before calling GitHub', async () => {
    fake = await FakeGitHub.start();
    await expect(find('main')).rejects.toMatchObject({ code: 'GITHUB_BAD_INPUT' });
    expect(fake.requests).toHaveLength(0);
  });
});

describe('currentHeadOf', () => {
  let fake: FakeGitHub | undefined;
  afterEach(() => fake?.close());

  it("reads the pull request's head commit", async () => {
    fake = await FakeGitHub.start({ pullRequests: [{ number: 4, headSha: HEAD }] });
    await expect(currentHeadOf(fake.client(), { owner: 'acme', repo: 'infra', pr: 4 })).resolves.toBe(HEAD);
  });

  it('fails with the status and reason when there is no such pull request', async () => {
    fake = await FakeGitHub.start();
    await expect(currentHeadOf(fake.client(), { owner: 'acme', repo: 'infra', pr: 9 })).rejects.toMatchObject({
      code: 'GITHUB_API_ERROR',
      details: { status: 404, operation: 'reading the head of acme/infra#9' },
    });
  });
});
