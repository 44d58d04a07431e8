import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import Bottleneck from 'bottleneck';
import { checkApiUrl, connectionFailures, requestLogLine } from './connection';

/**
 * Octokit with the retry plugin (5xx and other transient errors, exponential back-off) and the throttling
 * plugin (primary and secondary rate limits, honouring `retry-after` / `x-ratelimit-reset`). A request that got
 * no response is a `GITHUB_CONNECTION_FAILED` before the retry plugin sees it (see `connection.ts`).
 */
export const KittOctokit = Octokit.plugin(connectionFailures, retry, throttling);

/** The GitHub client every GitHub module takes as its first argument (never a global). */
export type GitHubClient = InstanceType<typeof KittOctokit>;

export interface GitHubClientOptions {
  /** Token sent as `Authorization: token …` (in Actions: `GITHUB_TOKEN`). */
  readonly token: string;
  /**
   * REST API root, as in `GITHUB_API_URL`; GitHub Enterprise's `https://host/api/v3` works too. `https://` only;
   * `http://` only on loopback (a local test server). @default 'https://api.github.com'
   */
  readonly baseUrl?: string;
  /** @default 'kitt-gitops' */
  readonly userAgent?: string;
  /** How many times one request is retried, after a 5xx or a rate limit. @default 3 */
  readonly maxRetries?: number;
  /**
   * Milliseconds per second of back-off: `retry-after: 2` waits 2 × this, the n-th 5xx retry waits n² × this.
   * Tests set it to 1 so they never sleep for real seconds.
   * @default 1000
   */
  readonly retryDelayUnitMs?: number;
  /** A rate limit that resets later than this is not waited for: the request fails with the reason. @default 300 */
  readonly maxRateLimitWaitSeconds?: number;
  /** Least time between two writes (POST, PATCH, GraphQL), as GitHub asks of integrations. @default 1000 */
  readonly minWriteIntervalMs?: number;
  /** Least time between two writes that notify people (e.g. a new comment). @default 3000 */
  readonly minNotifyingWriteIntervalMs?: number;
  /** Where retries and warnings are reported. @default ignored */
  readonly log?: (message: string) => void;
}

/** The defaults of every optional field, in one place. */
const DEFAULTS = {
  baseUrl: 'https://api.github.com',
  userAgent: 'kitt-gitops',
  maxRetries: 3,
  retryDelayUnitMs: 1000,
  maxRateLimitWaitSeconds: 300,
  minWriteIntervalMs: 1000,
  minNotifyingWriteIntervalMs: 3000,
} as const;

/**
 * Builds the client. Pacing queues belong to this client (not shared module state), so tests stay independent.
 * Throws `GITHUB_API_URL_INVALID` for an API root the token must not be sent to.
 */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const o = { ...DEFAULTS, ...definedOnly(options) };
  const baseUrl = checkApiUrl(o.baseUrl);
  const log = options.log ?? (() => undefined);

  const onLimit =
    (kind: string) =>
    (retryAfterSeconds: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      const retrying = retryCount < o.maxRetries && retryAfterSeconds <= o.maxRateLimitWaitSeconds;
      log(
        retrying
          ? `${kind} on ${request.method} ${request.url}: retrying after ${retryAfterSeconds}s (${retryCount + 1}/${o.maxRetries})`
          : `${kind} on ${request.method} ${request.url}: giving up (retry-after ${retryAfterSeconds}s, ${retryCount} retries made)`,
      );
      return retrying;
    };

  return new KittOctokit({
    auth: options.token,
    baseUrl,
    userAgent: o.userAgent,
    log: { debug: () => undefined, info: () => undefined, warn: log, error: (m: string) => log(requestLogLine(m)) },
    retry: { retries: o.maxRetries, retryAfterBaseValue: o.retryDelayUnitMs },
    throttle: {
      retryAfterBaseValue: o.retryDelayUnitMs,
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: o.minWriteIntervalMs }),
      notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: o.minNotifyingWriteIntervalMs }),
      onRateLimit: onLimit('rate limit'),
      onSecondaryRateLimit: onLimit('secondary rate limit'),
    },
  });
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
