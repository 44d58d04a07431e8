import { KittError } from '@kitt/flag-config';

/** What kitt needs to talk to GitHub, from the variables GitHub Actions sets. */
export interface GitHubEnvironment {
  readonly token: string;
  readonly owner: string;
  readonly repo: string;
  readonly baseUrl: string;
  /** The run page (job summary and artifacts), when Actions says which run this is. */
  readonly runUrl?: string;
  /** `KITT_COMMENT_AUTHOR`: kitt's login, instead of asking GitHub. */
  readonly authorOverride?: string;
  /** `GITHUB_SHA`: the commit the run is for (a push: the pushed commit). */
  readonly sha?: string;
}

/**
 * Reads `GITHUB_TOKEN`, `GITHUB_REPOSITORY`, `GITHUB_API_URL`, `GITHUB_SERVER_URL`, `GITHUB_RUN_ID`,
 * `GITHUB_SHA` and `KITT_COMMENT_AUTHOR`. Every missing or malformed variable is named in one `GITHUB_ENVIRONMENT_INVALID`.
 */
export function readGitHubEnvironment(env: Readonly<Record<string, string | undefined>>): GitHubEnvironment {
  const token = env['GITHUB_TOKEN'];
  const repository = env['GITHUB_REPOSITORY'];
  const problems: string[] = [];
  if (!token) problems.push('GITHUB_TOKEN is not set (in a workflow: env GITHUB_TOKEN: ${{ github.token }})');
  const match = /^([\w.-]+)\/([\w.-]+)$/.exec(repository ?? '');
  if (!repository) problems.push('GITHUB_REPOSITORY is not set (expected owner/repo)');
  else if (!match) problems.push(`GITHUB_REPOSITORY must be owner/repo, got '${repository.slice(0, 100)}'`);
  if (problems.length > 0 || !token || !match) {
    throw new KittError({ code: 'GITHUB_ENVIRONMENT_INVALID', kind: 'input', message: problems.join('; ') });
  }
  const { GITHUB_SERVER_URL: server, GITHUB_RUN_ID: runId } = env;
  return {
    token,
    owner: match[1] as string,
    repo: match[2] as string,
    baseUrl: env['GITHUB_API_URL'] || 'https://api.github.com',
    ...(server && runId ? { runUrl: `${server}/${repository}/actions/runs/${runId}` } : {}),
    ...(env['KITT_COMMENT_AUTHOR'] ? { authorOverride: env['KITT_COMMENT_AUTHOR'] } : {}),
    ...(env['GITHUB_SHA'] ? { sha: env['GITHUB_SHA'] } : {}),
  };
}
