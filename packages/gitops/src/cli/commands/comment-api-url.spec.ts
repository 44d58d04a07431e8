/** `kitt comment` and where its token may go: the client's refusals reach the user as one line, exit 1. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runKittIn } from '../__fixtures__/run-kitt';

let dir: string;
let err: string[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kitt-comment-url-'));
  writeFileSync(join(dir, 'plan-comment.md'), '# Plan\n');
  err = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(apiUrl: string): Promise<number> {
  const { code, stderr } = await runKittIn(['comment', '--pr', '4', '--body-file', 'plan-comment.md'], {
    cwd: dir,
    env: { GITHUB_TOKEN: 'test-token', GITHUB_REPOSITORY: 'acme/infra', GITHUB_API_URL: apiUrl },
  });
  err.push(stderr);
  return code;
}

it('refuses a plain http:// GITHUB_API_URL to another machine before sending anything', async () => {
  expect(await run('http://api.github.com')).toBe(1);
  expect(err.join('')).toBe(
    "✗ kitt comment: GITHUB_API_URL 'http://api.github.com' is plain http:// to another machine: the token would be sent in clear; use https:// [GITHUB_API_URL_INVALID]\n",
  );
});

it('reports a GitHub API that refuses connections as a connection failure, not an HTTP 500', async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  expect(await run(`http://127.0.0.1:${port}`)).toBe(1);
  const output = err.join('');
  expect(output).toContain(`✗ kitt comment: could not connect to the GitHub API at 127.0.0.1:${port} (ECONNREFUSED)`);
  expect(output).not.toMatch(/HTTP 500| - 500 /);
});
