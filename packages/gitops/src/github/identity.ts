/**
 * Who kitt is on GitHub, so that it touches only comments it wrote itself. A hidden marker proves nothing: anyone
 * who can comment on a pull request can paste one.
 *
 * The identity is learned once per run from the GraphQL `viewer { login }` query, which answers for a GitHub
 * Actions `GITHUB_TOKEN` (REST `GET /user` refuses an installation token), or given by `KITT_COMMENT_AUTHOR`
 * (e.g. `kitt-app[bot]` when kitt posts with a GitHub App's token and the lookup should be skipped).
 *
 * Bots and the `[bot]` suffix: REST gives a bot's comments as `user: { login: 'github-actions[bot]', type: 'Bot' }`.
 * GraphQL's `viewer.login` for an installation token (an Actions `GITHUB_TOKEN`, a GitHub App) carries the suffix
 * too (`github-actions[bot]`), but GraphQL names the same bot without it elsewhere (a comment's `author.login` is
 * `github-actions`), so an identity may come in either form. `name` and `name[bot]` are therefore one author, but
 * only when the comment's user is a Bot: a person may have an app's name (`dependabot` is a person,
 * `dependabot[bot]` an app), and a person's comment never counts as a bot's.
 */
import type { GitHubClient } from './client';
import { GitHubError, toGitHubError } from './errors';

/** kitt's own login, as `viewer { login }` or `KITT_COMMENT_AUTHOR` gave it. */
export interface CommentAuthor {
  readonly login: string;
  /** Where the login came from, for messages. */
  readonly source: 'viewer' | 'KITT_COMMENT_AUTHOR';
}

/** The author of a comment, as REST lists it (`user` is null for a deleted account). */
export interface CommentUser {
  readonly login: string;
  readonly type?: string;
}

const VIEWER_QUERY = 'query kittViewer { viewer { login } }';

/** A GitHub login (letters, digits, hyphens), optionally with the `[bot]` suffix of an app. */
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;
const BOT_SUFFIX = '[bot]';

/**
 * kitt's identity: `override` (the value of `KITT_COMMENT_AUTHOR`) when given, else the token's GraphQL viewer.
 * Throws `GITHUB_IDENTITY_UNKNOWN` when neither gives a login: kitt then posts and edits nothing.
 */
export async function resolveCommentAuthor(octokit: GitHubClient, override?: string): Promise<CommentAuthor> {
  if (override !== undefined && override !== '') {
    if (!LOGIN.test(override)) {
      throw new GitHubError(
        'GITHUB_BAD_INPUT',
        `KITT_COMMENT_AUTHOR must be a GitHub login such as 'kitt-app[bot]', got '${override.slice(0, 80)}'`,
        { field: 'KITT_COMMENT_AUTHOR', received: override.slice(0, 80), expected: "a login, e.g. 'kitt-app[bot]'" },
      );
    }
    return { login: override, source: 'KITT_COMMENT_AUTHOR' };
  }
  let login: unknown;
  try {
    login = (await octokit.graphql<{ viewer?: { login?: unknown } | null }>(VIEWER_QUERY)).viewer?.login;
  } catch (error) {
    const cause = toGitHubError(error, "asking GitHub who this token is (GraphQL 'viewer { login }')");
    throw new GitHubError('GITHUB_IDENTITY_UNKNOWN', `${cause.message}: ${UNKNOWN_HINT}`, cause.details);
  }
  if (typeof login !== 'string' || !LOGIN.test(login)) {
    throw new GitHubError(
      'GITHUB_IDENTITY_UNKNOWN',
      `GitHub named no usable login for this token (viewer.login: ${JSON.stringify(login ?? null).slice(0, 80)}): ${UNKNOWN_HINT}`,
      { operation: "GraphQL 'viewer { login }'", received: typeof login === 'string' ? login.slice(0, 80) : login },
    );
  }
  return { login, source: 'viewer' };
}

const UNKNOWN_HINT =
  'kitt edits only comments its own identity wrote, so it changes nothing without one ' +
  "(set KITT_COMMENT_AUTHOR to the token's login, e.g. 'kitt-app[bot]', to skip the lookup)";

/** True when `user` is kitt itself: the same login, where `name` and `name[bot]` are one author only for a Bot. */
export function isWrittenBy(author: CommentAuthor, user: CommentUser | null | undefined): boolean {
  if (!user || typeof user.login !== 'string') return false;
  const mine = author.login.toLowerCase();
  const theirs = user.login.toLowerCase();
  if (mine === theirs) return true; // logins are unique, and '[' cannot be part of a person's login
  if (user.type !== 'Bot') return false;
  return withoutBotSuffix(mine) === withoutBotSuffix(theirs);
}

function withoutBotSuffix(login: string): string {
  return login.endsWith(BOT_SUFFIX) ? login.slice(0, -BOT_SUFFIX.length) : login;
}
