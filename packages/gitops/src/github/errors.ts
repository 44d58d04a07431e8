import { KittError } from '@kitt/flag-config';

/** Stable codes of what can go wrong talking to GitHub. */
export type GitHubErrorCode =
  /** GitHub answered with an error (or could not be reached) after the retries. */
  | 'GITHUB_API_ERROR'
  /** A value handed to a GitHub module is not usable (e.g. a head that is not a commit SHA). */
  | 'GITHUB_BAD_INPUT'
  /** kitt could not learn which login its token writes as, so it cannot tell its own comments from others'. */
  | 'GITHUB_IDENTITY_UNKNOWN'
  /** No open pull request of this repository has the given head commit. */
  | 'GITHUB_PULL_REQUEST_NOT_FOUND'
  /** `GITHUB_API_URL` is not https:// (plain http:// is allowed on loopback only), or not a URL. */
  | 'GITHUB_API_URL_INVALID'
  /** No response at all: the connection was refused, reset, or the host not found. Not retried. */
  | 'GITHUB_CONNECTION_FAILED';

export interface GitHubErrorDetails {
  /** What was being done, e.g. `listing comments on acme/infra#4`. */
  readonly operation?: string;
  /** HTTP status; absent when no response came back. */
  readonly status?: number;
  /** Host of the API root, for `GITHUB_CONNECTION_FAILED`. */
  readonly host?: string;
  /** The input field at fault, for `GITHUB_BAD_INPUT` and `GITHUB_API_URL_INVALID`. */
  readonly field?: string;
  readonly received?: unknown;
  readonly expected?: string;
}

/** An expected failure, with a message for people (the CLI prints it, no stack). */
export class GitHubError extends KittError {
  declare readonly code: GitHubErrorCode;

  constructor(
    code: GitHubErrorCode,
    message: string,
    readonly details: GitHubErrorDetails = {},
  ) {
    super({
      code,
      kind: code === 'GITHUB_BAD_INPUT' || code === 'GITHUB_API_URL_INVALID' ? 'input' : 'external',
      message,
    });
  }
}

/** What people should check for a status: these are the failures a workflow author can fix. */
const HINTS: Readonly<Record<number, string>> = {
  401: 'the token was refused: check GITHUB_TOKEN',
  403: "the token may lack 'pull-requests: write' (a fork pull request's token is read-only)",
  404: 'no such repository or pull request, or the token cannot see it',
};

/** Wraps whatever Octokit threw into a `GitHubError` that names the operation, the status and GitHub's reason. */
export function toGitHubError(error: unknown, operation: string): GitHubError {
  if (error instanceof GitHubError) return error;
  const status = statusOf(error);
  const reason = reasonOf(error);
  const hint = status === undefined ? undefined : HINTS[status];
  const message = `${operation} failed: ${status === undefined ? '' : `HTTP ${status} `}${reason}${hint ? ` (${hint})` : ''}`;
  return new GitHubError('GITHUB_API_ERROR', message, status === undefined ? { operation } : { operation, status });
}

/** True for GitHub's 422 "body is too long (maximum is 65536 characters)", in both forms GitHub has used. */
export function isBodyTooLarge(error: unknown): boolean {
  if (statusOf(error) !== 422) return false;
  return /body is too long/i.test(JSON.stringify(responseData(error) ?? null) + String((error as Error).message));
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  // GraphQL errors arrive with HTTP 200: report them without a status.
  return typeof status === 'number' && status >= 400 ? status : undefined;
}

function responseData(error: unknown): unknown {
  return (error as { response?: { data?: unknown } } | null)?.response?.data;
}

/** GitHub's own words: `message` plus the per-field errors, without Octokit's documentation URL. */
function reasonOf(error: unknown): string {
  const data = responseData(error) as { message?: unknown; errors?: unknown } | undefined;
  if (data && typeof data === 'object' && typeof data.message === 'string') {
    const details = Array.isArray(data.errors) ? data.errors.map(describeFieldError).filter(Boolean) : [];
    return details.length > 0 ? `${data.message}: ${details.join('; ')}` : data.message;
  }
  const graphqlErrors = (error as { errors?: unknown } | null)?.errors;
  if (Array.isArray(graphqlErrors) && graphqlErrors.length > 0) {
    return graphqlErrors.map(describeFieldError).join('; ');
  }
  const cause = (error as { cause?: { message?: unknown } } | null)?.cause?.message;
  const message = error instanceof Error ? error.message : String(error);
  return typeof cause === 'string' && cause !== message ? `${message} (${cause})` : message;
}

function describeFieldError(entry: unknown): string {
  if (typeof entry === 'string') return entry;
  const e = entry as { message?: unknown; field?: unknown; code?: unknown } | null;
  if (e && typeof e.message === 'string') return e.message;
  if (e && (e.field !== undefined || e.code !== undefined)) return `${String(e.field)} ${String(e.code)}`;
  return JSON.stringify(entry);
}
