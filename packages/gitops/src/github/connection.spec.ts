import { createServer } from 'node:net';
import { createGitHubClient } from './client';
import { GitHubError } from './errors';
import { FakeGitHub } from './__fixtures__/fake-github';

/** A port on 127.0.0.1 that nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return port;
}

function refusal(baseUrl: string): GitHubError | undefined {
  try {
    createGitHubClient({ token: 'test-token', baseUrl });
  } catch (error) {
    if (error instanceof GitHubError) return error;
    throw error;
  }
  return undefined;
}

describe('the API root the token is sent to', () => {
  it.each(['http://api.github.com', 'http://ghe.example.com/api/v3', 'http://127.0.0.1.nip.io', 'http://10.0.0.1'])(
    'refuses plain http:// to another machine (%s), naming GITHUB_API_URL',
    (baseUrl) => {
      const error = refusal(baseUrl);
      expect(error).toMatchObject({ code: 'GITHUB_API_URL_INVALID', details: { field: 'GITHUB_API_URL' } });
      expect(error?.message).toContain(`GITHUB_API_URL '${baseUrl}' is plain http://`);
    },
  );

  it.each([
    'http://127.0.0.1:8080',
    'http://127.9.9.9',
    'http://localhost:3000/api/v3',
    'http://[::1]:8080',
    'http://127.1',
  ])('accepts plain http:// on a loopback host (%s)', (baseUrl) => {
    expect(refusal(baseUrl)).toBeUndefined();
  });

  it('accepts https:// anywhere', () => {
    expect(refusal('https://ghe.example.com/api/v3/')).toBeUndefined();
  });

  it.each([
    ['is not a URL', 'api.github.com'],
    ['is not an https:// URL', 'ftp://api.github.com'],
  ])('refuses an API root that %s', (why, baseUrl) => {
    expect(refusal(baseUrl)?.message).toBe(`GITHUB_API_URL '${baseUrl}' ${why}`);
  });

  it('refuses an API root with credentials in it, and echoes none of them', () => {
    const error = refusal('https://x-access-token:ghp_s3cr3t@api.github.com');
    expect(error?.message).toBe("GITHUB_API_URL 'https://***@api.github.com/' must not hold credentials");
    expect(JSON.stringify(error?.details)).not.toContain('ghp_s3cr3t');
  });
});

describe('a GitHub API that cannot be reached', () => {
  it('is reported as a connection failure naming the host, not as HTTP 500', async () => {
    const port = await closedPort();
    const client = createGitHubClient({
      token: 'test-token',
      baseUrl: `http://127.0.0.1:${port}`,
      retryDelayUnitMs: 1,
    });
    const request = client.rest.issues.listComments({ owner: 'acme', repo: 'infra', issue_number: 4 });
    await expect(request).rejects.toMatchObject({
      name: 'GitHubError',
      code: 'GITHUB_CONNECTION_FAILED',
      details: { host: `127.0.0.1:${port}` },
      message: expect.stringContaining(`could not connect to the GitHub API at 127.0.0.1:${port} (ECONNREFUSED)`),
    });
    await expect(request).rejects.not.toHaveProperty('status');
  });

  it('is tried once, not retried, and logged without a made-up status', async () => {
    const port = await closedPort();
    const log: string[] = [];
    const client = createGitHubClient({
      token: 'test-token',
      baseUrl: `http://127.0.0.1:${port}`,
      retryDelayUnitMs: 1,
      log: (m) => log.push(m),
    });
    const request = client.rest.issues.listComments({ owner: 'acme', repo: 'infra', issue_number: 4 });
    await expect(request).rejects.toMatchObject({ code: 'GITHUB_CONNECTION_FAILED' });
    // Octokit logs one line per attempt: one line is one attempt.
    expect(log).toEqual([
      expect.stringMatching(
        /^GET \/repos\/acme\/infra\/issues\/4\/comments - no response \(connection failed\) in \d+ms$/,
      ),
    ]);
  });

  it('leaves an answer GitHub did send as it is: a 502 stays a retried HTTP 502', async () => {
    const fake = await FakeGitHub.start();
    try {
      const comments = /^\/repos\/acme\/infra\/issues\/4\/comments$/;
      fake.failNext({ method: 'GET', path: comments, status: 502, body: { message: 'Server Error' }, times: 10 });
      const request = fake
        .client({ maxRetries: 1 })
        .rest.issues.listComments({ owner: 'acme', repo: 'infra', issue_number: 4 });
      await expect(request).rejects.toMatchObject({ status: 502 });
      expect(fake.requestsTo('GET', comments)).toHaveLength(2);
    } finally {
      await fake.close();
    }
  });
});
