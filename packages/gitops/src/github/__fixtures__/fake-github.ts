/**
 * A stand-in for the GitHub API on 127.0.0.1 (random port), speaking just the endpoints the plan record uses,
 * the way GitHub speaks them: issue comments (list with `per_page`/`page` and `Link` headers, create, update,
 * delete) with their authors and times, a pull request's reviews, the pull requests of a commit, GraphQL
 * `viewer { login }`, `nodes { isMinimized }` and `minimizeComment`, `Bad credentials` / `Not Found` errors, and the 422
 * GitHub gives for a body over its size limit. It records every request and can be told to fail the next few
 * matching ones (502, rate limits) to exercise the client's retries. Nothing leaves loopback.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGitHubClient, type GitHubClient, type GitHubClientOptions } from '../client';

/** A comment's author as REST shows it: a bot's login ends in `[bot]` and its type is `Bot`. */
export interface FakeUser {
  readonly login: string;
  readonly type: 'User' | 'Bot';
}

/** The token's own identity, as an Actions `GITHUB_TOKEN` writes comments. */
export const ACTIONS_BOT: FakeUser = { login: 'github-actions[bot]', type: 'Bot' };
/** Someone else who can comment on the pull request. */
export const STRANGER: FakeUser = { login: 'mallory', type: 'User' };

/** A pull request as `GET /repos/{o}/{r}/commits/{sha}/pulls` lists it. */
export interface FakePullRequest {
  readonly number: number;
  readonly headSha: string;
  /** @default 'open' */
  readonly state?: 'open' | 'closed';
  /** `owner/repo` the head branch lives in. @default the repository itself */
  readonly headRepository?: string;
  /** Login of its author. @default 'octocat' */
  readonly author?: string;
  /** Set once merged: its merge commit (the pull request is then listed for that commit too, as merged). */
  readonly mergeCommitSha?: string;
}

/** Answers a request the built-in routes do not know (see `FakeGitHub.addRoutes`); true when it did. */
export type FakeRoute = (request: RecordedRequest, res: ServerResponse) => boolean;

export interface FakeComment {
  readonly id: number;
  readonly node_id: string;
  readonly issue: number;
  readonly author: FakeUser;
  body: string;
  minimized: boolean;
  /** The classifier it was minimized with, e.g. `OUTDATED`. */
  classifier?: string;
  /** ISO time of its creation, from the fake's clock. */
  readonly createdAt: string;
  /** ISO time of its last edit, from the fake's clock. */
  updatedAt: string;
}

/** A pull request review, as `GET /pulls/{n}/reviews` lists it. */
export interface FakeReview {
  readonly user: FakeUser;
  readonly state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED';
  readonly commitId: string;
  /** @default the fake clock's next tick: a review added later was submitted later */
  readonly submittedAt?: string;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly authorization: string | undefined;
}

/** A scripted failure: answers the next `times` requests matching `method` and `path` instead of the real route. */
export interface Fault {
  readonly method?: string;
  readonly path?: RegExp;
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** @default 1 */
  readonly times?: number;
}

export interface FakeGitHubOptions {
  /** @default 'acme' */
  readonly owner?: string;
  /** @default 'infra' */
  readonly repo?: string;
  /** Issue and pull request numbers that exist. @default [4] */
  readonly issues?: readonly number[];
  /** The only token accepted. @default 'test-token' */
  readonly token?: string;
  /** Longest comment body accepted, as GitHub's 65,536. @default 65536 */
  readonly maxBodyChars?: number;
  /** GitHub caps `per_page` at 100. @default 100 */
  readonly maxPerPage?: number;
  /** Who the token writes comments as. @default ACTIONS_BOT */
  readonly tokenUser?: FakeUser;
  /**
   * What GraphQL `viewer { login }` answers; `null` makes it answer with a GraphQL error instead.
   * @default the login of `tokenUser`
   */
  readonly viewerLogin?: string | null;
  /** Pull requests (`GET /pulls/{n}`, and found by head commit). @default none */
  readonly pullRequests?: readonly FakePullRequest[];
}

export const SECONDARY_RATE_LIMIT_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  private readonly comments: FakeComment[] = [];
  private readonly faults: { fault: Fault; left: number }[] = [];
  private readonly routes: FakeRoute[] = [];
  private readonly reviews = new Map<number, Required<FakeReview>[]>();
  private pulls: FakePullRequest[];
  private nextId = 1000;
  private clock = Date.parse('2025-01-01T00:00:00Z');

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
    private readonly options: Required<FakeGitHubOptions>,
  ) {
    this.pulls = [...options.pullRequests];
  }

  /** Adds or replaces (by number) a pull request: a new head, a merge. */
  setPullRequest(pull: FakePullRequest): void {
    this.pulls = [...this.pulls.filter((p) => p.number !== pull.number), pull];
  }

  /**
   * The fake's clock, shared by comments and reviews: each call is one second later than the last, so whatever is
   * written or submitted later has a later time, as on GitHub.
   */
  tick(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** A review of the pull request, submitted now (on the fake's clock) unless it says when. */
  addReview(pr: number, review: FakeReview): void {
    const submitted = { ...review, submittedAt: review.submittedAt ?? this.tick() };
    this.reviews.set(pr, [...(this.reviews.get(pr) ?? []), submitted]);
  }

  /** Routes for endpoints this file does not speak (e.g. the Actions API), tried before the built-in ones. */
  addRoutes(route: FakeRoute): void {
    this.routes.push(route);
  }

  static async start(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
    const settings: Required<FakeGitHubOptions> = {
      owner: 'acme',
      repo: 'infra',
      issues: [4],
      token: 'test-token',
      maxBodyChars: 65_536,
      maxPerPage: 100,
      tokenUser: ACTIONS_BOT,
      pullRequests: [],
      ...options,
      viewerLogin: options.viewerLogin === undefined ? (options.tokenUser ?? ACTIONS_BOT).login : options.viewerLogin,
    };
    // The handler needs the instance, the instance needs the port: bind the handler once both exist.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeGitHub(server, `http://127.0.0.1:${port}`, settings);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      fake.handle(req, res).catch((error: Error) => send(res, 500, { message: `fake GitHub failed: ${error.message}` }));
    });
    return fake;
  }

  /** A client for this server whose back-off and pacing take milliseconds, not seconds. */
  client(overrides: Partial<GitHubClientOptions> = {}): GitHubClient {
    return createGitHubClient({
      token: this.options.token,
      baseUrl: this.baseUrl,
      retryDelayUnitMs: 1,
      minWriteIntervalMs: 0,
      minNotifyingWriteIntervalMs: 0,
      ...overrides,
    });
  }

  /** Adds comments as if `author` (by default someone other than the token) had written them, oldest first. */
  seed(issue: number, bodies: readonly string[], author: FakeUser = STRANGER): FakeComment[] {
    return bodies.map((body) => this.add(issue, body, author));
  }

  commentsOn(issue: number): readonly FakeComment[] {
    return this.comments.filter((c) => c.issue === issue);
  }

  failNext(fault: Fault): void {
    this.faults.push({ fault, left: fault.times ?? 1 });
  }

  requestsTo(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private add(issue: number, body: string, author: FakeUser): FakeComment {
    const id = this.nextId++;
    const now = this.tick();
    const comment: FakeComment = {
      id,
      node_id: `IC_kwDOfake${id}`,
      issue,
      author,
      body,
      minimized: false,
      createdAt: now,
      updatedAt: now,
    };
    this.comments.push(comment);
    return comment;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const text = await readBody(req);
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: text ? JSON.parse(text) : undefined,
      authorization: req.headers.authorization,
    };
    this.requests.push(request);

    const scripted = this.faults.find(
      (f) => f.left > 0 && (!f.fault.method || f.fault.method === request.method) && (!f.fault.path || f.fault.path.test(request.path)),
    );
    if (scripted) {
      scripted.left--;
      return send(res, scripted.fault.status, scripted.fault.body ?? { message: 'Scripted failure' }, scripted.fault.headers);
    }
    if (request.authorization !== `token ${this.options.token}`) {
      return send(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    }
    if (request.method === 'POST' && url.pathname === '/graphql') return this.graphql(res, request.body);
    if (this.routes.some((route) => route(request, res))) return;
    this.rest(res, request, url);
  }

  private rest(res: ServerResponse, request: RecordedRequest, url: URL): void {
    const repoPath = `/repos/${this.options.owner}/${this.options.repo}`;
    const list = new RegExp(`^${repoPath}/issues/(\\d+)/comments$`).exec(request.path);
    const one = new RegExp(`^${repoPath}/issues/comments/(\\d+)$`).exec(request.path);
    const issue = Number(list?.[1]);
    if (list && this.options.issues.includes(issue) && request.method === 'GET') return this.list(res, issue, url);
    if (list && this.options.issues.includes(issue) && request.method === 'POST') {
      const body = String((request.body as { body?: unknown })?.body ?? '');
      if (this.tooLarge(res, body)) return;
      return send(res, 201, this.json(this.add(issue, body, this.options.tokenUser)));
    }
    const comment = one && this.comments.find((c) => c.id === Number(one[1]));
    const writes = request.method === 'PATCH' || request.method === 'DELETE';
    if (comment && writes && comment.author.login !== this.options.tokenUser.login) {
      // As GitHub: only a comment's author (or a maintainer's token, which kitt never is) may edit or delete it.
      return send(res, 403, { message: 'Resource not accessible by integration', status: '403' });
    }
    if (comment && request.method === 'PATCH') {
      const body = String((request.body as { body?: unknown })?.body ?? '');
      if (this.tooLarge(res, body)) return;
      comment.body = body;
      comment.updatedAt = this.tick();
      return send(res, 200, this.json(comment));
    }
    const pullsOf = new RegExp(`^${repoPath}/commits/([0-9a-f]{40})/pulls$`).exec(request.path);
    if (pullsOf && request.method === 'GET') return this.pullsOf(res, pullsOf[1] as string);
    const reviews = new RegExp(`^${repoPath}/pulls/(\\d+)/reviews$`).exec(request.path);
    const reviewed = reviews && this.pulls.some((p) => p.number === Number(reviews[1]));
    if (reviewed && request.method === 'GET') return this.listReviews(res, Number(reviews[1]), url);
    const pull = new RegExp(`^${repoPath}/pulls/(\\d+)$`).exec(request.path);
    const found = pull && this.pulls.find((p) => p.number === Number(pull[1]));
    if (found && request.method === 'GET') return send(res, 200, this.pullJson(found));
    if (comment && request.method === 'DELETE') {
      this.comments.splice(this.comments.indexOf(comment), 1);
      res.writeHead(204).end();
      return;
    }
    send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
  }

  /** The pull requests whose head is `sha` (GitHub also lists merged ones that contain it: callers filter). */
  private pullsOf(res: ServerResponse, sha: string): void {
    send(
      res,
      200,
      this.pulls.filter((p) => p.headSha === sha || p.mergeCommitSha === sha).map((p) => this.pullJson(p)),
    );
  }

  private listReviews(res: ServerResponse, pr: number, url: URL): void {
    const all = (this.reviews.get(pr) ?? []).map((r, i) => ({
      id: 500 + i,
      user: { login: r.user.login, type: r.user.type },
      state: r.state,
      commit_id: r.commitId,
      submitted_at: r.submittedAt,
    }));
    this.sendPage(res, url, all);
  }

  private pullJson(p: FakePullRequest): Record<string, unknown> {
    const full = `${this.options.owner}/${this.options.repo}`;
    return {
      number: p.number,
      state: p.mergeCommitSha ? 'closed' : (p.state ?? 'open'),
      user: { login: p.author ?? 'octocat', type: 'User' },
      merged_at: p.mergeCommitSha ? '2025-01-02T00:00:00Z' : null,
      merge_commit_sha: p.mergeCommitSha ?? null,
      head: { sha: p.headSha, repo: { full_name: p.headRepository ?? full } },
      base: { repo: { full_name: full } },
    };
  }

  private list(res: ServerResponse, issue: number, url: URL): void {
    this.sendPage(
      res,
      url,
      this.commentsOn(issue).map((c) => this.json(c)),
    );
  }

  /** One page of `all`, as `per_page` and `page` ask, with GitHub's `Link` header to the others. */
  private sendPage(res: ServerResponse, url: URL, all: readonly unknown[]): void {
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), this.options.maxPerPage);
    const page = Number(url.searchParams.get('page') ?? 1);
    const lastPage = Math.max(1, Math.ceil(all.length / perPage));
    const pageUrl = (n: number) => {
      const u = new URL(url);
      u.searchParams.set('page', String(n));
      return `<${u.href}>`;
    };
    const links = [
      ...(page < lastPage ? [`${pageUrl(page + 1)}; rel="next"`, `${pageUrl(lastPage)}; rel="last"`] : []),
      ...(page > 1 ? [`${pageUrl(1)}; rel="first"`, `${pageUrl(page - 1)}; rel="prev"`] : []),
    ];
    const slice = all.slice((page - 1) * perPage, page * perPage);
    send(res, 200, slice, links.length > 0 ? { link: links.join(', ') } : {});
  }

  private tooLarge(res: ServerResponse, body: string): boolean {
    if (body.length <= this.options.maxBodyChars) return false;
    send(res, 422, {
      message: 'Validation Failed',
      errors: [
        {
          resource: 'IssueComment',
          code: 'unprocessable',
          field: 'data',
          message: `Body is too long (maximum is ${this.options.maxBodyChars} characters)`,
        },
      ],
      documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
    });
    return true;
  }

  private graphql(res: ServerResponse, payload: unknown): void {
    const { query, variables } = payload as { query: string; variables: Record<string, unknown> };
    if (/\bviewer\s*\{\s*login\s*\}/.test(query)) {
      const login = this.options.viewerLogin;
      return login === null
        ? send(res, 200, { data: null, errors: [{ type: 'FORBIDDEN', message: 'Resource not accessible by integration' }] })
        : send(res, 200, { data: { viewer: { login } } });
    }
    if (/minimizeComment/.test(query)) {
      const comment = this.comments.find((c) => c.node_id === variables['id']);
      if (!comment) {
        return send(res, 200, {
          data: { minimizeComment: null },
          errors: [{ type: 'NOT_FOUND', message: `Could not resolve to a node with the global id of '${String(variables['id'])}'` }],
        });
      }
      comment.minimized = true;
      comment.classifier = /classifier:\s*(\w+)/.exec(query)?.[1];
      return send(res, 200, { data: { minimizeComment: { minimizedComment: { isMinimized: true } } } });
    }
    if (/nodes\(ids:/.test(query)) {
      const ids = variables['ids'] as string[];
      const nodes = ids.map((id) => {
        const c = this.comments.find((x) => x.node_id === id);
        return c ? { id: c.node_id, isMinimized: c.minimized } : null;
      });
      return send(res, 200, { data: { nodes } });
    }
    send(res, 200, { errors: [{ message: `The fake does not know this query: ${query}` }] });
  }

  private json(c: FakeComment): Record<string, unknown> {
    const { owner, repo } = this.options;
    return {
      id: c.id,
      node_id: c.node_id,
      body: c.body,
      html_url: `https://github.com/${owner}/${repo}/pull/${c.issue}#issuecomment-${c.id}`,
      user: { login: c.author.login, type: c.author.type },
      created_at: c.createdAt,
      updated_at: c.updatedAt,
    };
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
