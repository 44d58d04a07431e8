import { FakeGitHub, SECONDARY_RATE_LIMIT_MESSAGE } from './__fixtures__/fake-github';

const COMMENTS = /^\/repos\/acme\/infra\/issues\/4\/comments$/;
const list = (fake: FakeGitHub, log?: (m: string) => void, maxRetries?: number) =>
  fake.client({ log, maxRetries }).rest.issues.listComments({ owner: 'acme', repo: 'infra', issue_number: 4 });

describe('createGitHubClient', () => {
  let fake: FakeGitHub;
  beforeEach(async () => {
    fake = await FakeGitHub.start();
  });
  afterEach(() => fake.close());

  it('talks to the given API root with the given token', async () => {
    await list(fake);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.authorization).toBe('token test-token');
  });

  it('retries a 502 and returns the answer that follows', async () => {
    fake.failNext({ method: 'GET', path: COMMENTS, status: 502, body: { message: 'Server Error' } });
    const response = await list(fake);
    expect(response.status).toBe(200);
    expect(fake.requestsTo('GET', COMMENTS)).toHaveLength(2);
  });

  it('gives up after the configured number of retries and reports the 502', async () => {
    fake.failNext({ method: 'GET', path: COMMENTS, status: 502, body: { message: 'Server Error' }, times: 10 });
    await expect(list(fake, undefined, 2)).rejects.toMatchObject({ status: 502 });
    expect(fake.requestsTo('GET', COMMENTS)).toHaveLength(3);
  });

  it('retries a secondary rate limit after the retry-after GitHub sent', async () => {
    const log: string[] = [];
    fake.failNext({
      method: 'GET',
      path: COMMENTS,
      status: 403,
      headers: { 'retry-after': '1' },
      body: { message: SECONDARY_RATE_LIMIT_MESSAGE },
    });
    const response = await list(fake, (m) => log.push(m));
    expect(response.status).toBe(200);
    expect(fake.requestsTo('GET', COMMENTS)).toHaveLength(2);
    expect(log.join('\n')).toMatch(/secondary rate limit on GET .*: retrying after 1s \(1\/3\)/);
  });

  it('retries a primary rate limit once it has reset', async () => {
    const log: string[] = [];
    const resetSoon = String(Math.floor(Date.now() / 1000) + 1);
    fake.failNext({
      method: 'GET',
      path: COMMENTS,
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetSoon },
      body: { message: 'API rate limit exceeded for installation ID 1.' },
    });
    const response = await list(fake, (m) => log.push(m));
    expect(response.status).toBe(200);
    expect(log.join('\n')).toMatch(/^rate limit on GET .*: retrying after \d+s/m);
  });

  it('does not wait for a rate limit that resets later than it is willing to wait', async () => {
    const inAnHour = String(Math.floor(Date.now() / 1000) + 3600);
    fake.failNext({
      method: 'GET',
      path: COMMENTS,
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': inAnHour },
      body: { message: 'API rate limit exceeded for installation ID 1.' },
    });
    await expect(list(fake)).rejects.toMatchObject({ status: 403 });
    expect(fake.requestsTo('GET', COMMENTS)).toHaveLength(1);
  });

  it('stops retrying a secondary rate limit after the configured number of retries', async () => {
    fake.failNext({
      method: 'GET',
      path: COMMENTS,
      status: 403,
      headers: { 'retry-after': '1' },
      body: { message: SECONDARY_RATE_LIMIT_MESSAGE },
      times: 10,
    });
    await expect(list(fake, undefined, 2)).rejects.toMatchObject({ status: 403 });
    expect(fake.requestsTo('GET', COMMENTS)).toHaveLength(3);
  });

  it('does not retry a 404', async () => {
    const missing = fake.client().rest.issues.listComments({ owner: 'acme', repo: 'nope', issue_number: 4 });
    await expect(missing).rejects.toMatchObject({ status: 404 });
    expect(fake.requests).toHaveLength(1);
  });
});
