/** The GitHub Actions variables `kitt apply` reads; every missing or malformed one named in a single error. */
import { KittError } from '@kitt/flag-config';

type Env = Readonly<Record<string, string | undefined>>;

export interface ApplyGitHubEnv {
  readonly token: string;
  readonly owner: string;
  readonly repo: string;
  readonly baseUrl: string;
  /** `GITHUB_SHA`: the pushed commit. @default absent */
  readonly sha?: string;
  /** This run's page. @default absent outside Actions */
  readonly runUrl?: string;
  /** `KITT_COMMENT_AUTHOR`. @default absent: asked of GitHub */
  readonly authorOverride?: string;
}

export function readApplyGitHubEnv(env: Env): ApplyGitHubEnv {
  const token = env['GITHUB_TOKEN'];
  const repository = env['GITHUB_REPOSITORY'];
  const match = /^([\w.-]+)\/([\w.-]+)$/.exec(repository ?? '');
  const problems: string[] = [];
  if (!token) problems.push('GITHUB_TOKEN is not set (in a workflow: env GITHUB_TOKEN: ${{ github.token }})');
  if (!repository) problems.push('GITHUB_REPOSITORY is not set (expected owner/repo)');
  else if (!match) problems.push(`GITHUB_REPOSITORY must be owner/repo, got '${repository.slice(0, 100)}'`);
  if (problems.length > 0 || !token || !match) {
    throw new KittError({ code: 'APPLY_ENVIRONMENT_INVALID', kind: 'input', message: problems.join('; ') });
  }
  const { GITHUB_SERVER_URL: server, GITHUB_RUN_ID: runId } = env;
  return {
    token,
    owner: match[1] as string,
    repo: match[2] as string,
    baseUrl: env['GITHUB_API_URL'] || 'https://api.github.com',
    ...(env['GITHUB_SHA'] ? { sha: env['GITHUB_SHA'] } : {}),
    ...(server && runId ? { runUrl: `${server}/${repository}/actions/runs/${runId}` } : {}),
    ...(env['KITT_COMMENT_AUTHOR'] ? { authorOverride: env['KITT_COMMENT_AUTHOR'] } : {}),
  };
}
