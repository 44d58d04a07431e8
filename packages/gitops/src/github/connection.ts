/**
 * Where the GitHub client may connect, and what it says when it cannot. The token goes in every request's
 * `Authorization` header, so the API root must be `https://`; plain `http://` is allowed only on this machine
 * (a local test server). A connection that fails (refused, reset, no such host) is reported as that, naming the
 * host, and not retried: Octokit would call it an HTTP 500, which GitHub never sent.
 */
import { GitHubError } from './errors';

/** `localhost`, `127.0.0.0/8` or `::1`: the only hosts the token may be sent to in clear. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]') return true;
  // The URL parser has already normalized IPv4 (`127.1`, `0x7f.1` and `2130706433` all read `127.0.0.1`).
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Checks the API root (as in `GITHUB_API_URL`) and returns it without trailing slashes. Throws
 * `GITHUB_API_URL_INVALID` for anything but an `https://` URL or an `http://` one on a loopback host.
 */
export function checkApiUrl(baseUrl: string): string {
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {
    url = undefined;
  }
  const refuse = (why: string) => {
    const shown = shownApiUrl(baseUrl, url);
    return new GitHubError('GITHUB_API_URL_INVALID', `GITHUB_API_URL '${shown}' ${why}`, {
      field: 'GITHUB_API_URL',
      received: shown,
      expected: 'an https:// URL such as https://api.github.com (http:// only for localhost, 127.0.0.0/8 or ::1)',
    });
  };
  if (url === undefined) throw refuse('is not a URL');
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname))
    throw refuse('is plain http:// to another machine: the token would be sent in clear; use https://');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refuse('is not an https:// URL');
  if (url.username !== '' || url.password !== '') throw refuse('must not hold credentials');
  return baseUrl.replace(/\/+$/, '');
}

/** The URL as an error may echo it: credentials masked, at most 200 characters. */
function shownApiUrl(baseUrl: string, url: URL | undefined): string {
  let shown = baseUrl;
  if (url !== undefined && (url.username !== '' || url.password !== '')) {
    const masked = new URL(url.href);
    masked.username = '***';
    masked.password = '';
    shown = masked.href;
  }
  return shown.length <= 200 ? shown : `${shown.slice(0, 200)}… (${shown.length} characters)`;
}

interface FailedRequest {
  readonly status?: unknown;
  readonly response?: unknown;
  readonly request?: { readonly url?: unknown };
  /** Octokit keeps fetch's own error here; its `cause` holds the system error (`ECONNREFUSED`, …). */
  readonly cause?: {
    readonly message?: unknown;
    readonly cause?: { readonly code?: unknown; readonly message?: unknown };
  };
}

/** Octokit's error for a request that got no response at all: status 500 made up, fetch's error as the cause. */
function isNoResponse(error: unknown): error is FailedRequest {
  const e = error as FailedRequest | null;
  return typeof e === 'object' && e !== null && e.status === 500 && e.response === undefined && e.cause != null;
}

function hostOf(url: unknown): string {
  try {
    return new URL(String(url)).host;
  } catch {
    return 'the GitHub API';
  }
}

/** A `GITHUB_CONNECTION_FAILED` error for a request that got no response; anything else unchanged. */
export function connectionFailure(error: unknown): unknown {
  if (!isNoResponse(error)) return error;
  const host = hostOf(error.request?.url);
  const system = error.cause?.cause;
  const why = typeof system?.code === 'string' ? system.code : String(system?.message ?? error.cause?.message);
  return new GitHubError(
    'GITHUB_CONNECTION_FAILED',
    `could not connect to the GitHub API at ${host} (${why}); no response came back, so nothing was retried: check GITHUB_API_URL and the network`,
    { host },
  );
}

/**
 * Octokit plugin: turns "no response" into `GITHUB_CONNECTION_FAILED`. Registered before the retry plugin, so
 * its error hook runs first and the retry plugin (which retries only errors that carry a request) lets it pass.
 */
export function connectionFailures(octokit: {
  hook: { error: (name: 'request', hook: (error: unknown) => never) => void };
}): void {
  octokit.hook.error('request', (error: unknown) => {
    throw connectionFailure(error);
  });
}

/**
 * Octokit's request log line, with the HTTP 500 it makes up for a request that got no response said as what it
 * was: `GET /path - 500 with id UNKNOWN in 3ms` (GitHub sends a request id with every answer it gives).
 */
export function requestLogLine(message: string): string {
  return message.replace(/^(\S+ \S+) - 500 with id UNKNOWN (in \d+ms)$/, '$1 - no response (connection failed) $2');
}
