/**
 * The issues endpoints of the fake GitHub that the drift report uses, added to a `FakeGitHub` through its routes:
 * list a repository's issues (`state`, `per_page`/`page` with `Link` headers; pull requests are listed too, with a
 * `pull_request` key, as GitHub lists them), create one, read one, update one (title, body, state, state_reason),
 * and comment on one. As on GitHub, a token with `issues: write` may edit anyone's issue: whether kitt touches only
 * its own is for kitt to get right, and for the tests to see in the recorded requests.
 */
import type { ServerResponse } from 'node:http';
import { ACTIONS_BOT, STRANGER, type FakeGitHub, type FakeUser, type RecordedRequest } from './fake-github';

export interface FakeIssue {
  readonly number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  stateReason: string | null;
  readonly author: FakeUser;
  /** Listed as a pull request (GitHub's issues list includes them). */
  readonly pullRequest: boolean;
  readonly createdAt: string;
  updatedAt: string;
}

export class FakeIssues {
  private readonly issues: FakeIssue[] = [];
  private nextNumber = 200;

  constructor(
    private readonly fake: FakeGitHub,
    private readonly options: { owner?: string; repo?: string; tokenUser?: FakeUser } = {},
  ) {
    fake.addRoutes((request, res) => this.route(request, res));
  }

  /** An issue someone else (by default a stranger) opened, e.g. a look-alike carrying kitt's marker. */
  seed(issue: { title: string; body: string; author?: FakeUser; state?: 'open' | 'closed'; pullRequest?: boolean }) {
    return this.add(issue.title, issue.body, issue.author ?? STRANGER, issue.state ?? 'open', issue.pullRequest);
  }

  all(): readonly FakeIssue[] {
    return this.issues;
  }

  open(): readonly FakeIssue[] {
    return this.issues.filter((i) => i.state === 'open');
  }

  get(number: number): FakeIssue | undefined {
    return this.issues.find((i) => i.number === number);
  }

  private get tokenUser(): FakeUser {
    return this.options.tokenUser ?? ACTIONS_BOT;
  }

  private add(title: string, body: string, author: FakeUser, state: 'open' | 'closed', pullRequest = false) {
    const now = this.fake.tick();
    const issue: FakeIssue = {
      number: this.nextNumber++,
      title,
      body,
      state,
      stateReason: null,
      author,
      pullRequest,
      createdAt: now,
      updatedAt: now,
    };
    this.issues.push(issue);
    return issue;
  }

  private route(request: RecordedRequest, res: ServerResponse): boolean {
    const repoPath = `/repos/${this.options.owner ?? 'acme'}/${this.options.repo ?? 'infra'}`;
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (request.path === `${repoPath}/issues`) {
      if (request.method === 'GET') return this.list(request, res);
      if (request.method !== 'POST') return false;
      if (typeof body.title !== 'string' || body.title === '') {
        return json(res, 422, { message: 'Validation Failed', errors: [{ field: 'title', code: 'missing_field' }] });
      }
      const created = this.add(body.title, String(body.body ?? ''), this.tokenUser, 'open');
      return json(res, 201, this.json(created));
    }
    const one = new RegExp(`^${repoPath}/issues/(\\d+)$`).exec(request.path);
    const comments = new RegExp(`^${repoPath}/issues/(\\d+)/comments$`).exec(request.path);
    const issue = this.get(Number((one ?? comments)?.[1]));
    if (!issue) return false; // pull requests' comments and unknown numbers: the built-in routes answer
    if (one && request.method === 'GET') return json(res, 200, this.json(issue));
    if (one && request.method === 'PATCH') {
      if (typeof body.title === 'string') issue.title = body.title;
      if (typeof body.body === 'string') issue.body = body.body;
      if (body.state === 'open' || body.state === 'closed') issue.state = body.state;
      if (body.state_reason !== undefined) issue.stateReason = body.state_reason as string | null;
      issue.updatedAt = this.fake.tick();
      return json(res, 200, this.json(issue));
    }
    if (comments && request.method === 'POST') {
      const [comment] = this.fake.seed(issue.number, [String(body.body ?? '')], this.tokenUser);
      return json(res, 201, { id: comment?.id, body: comment?.body, user: this.tokenUser });
    }
    if (comments && request.method === 'GET') {
      const listed = this.fake.commentsOn(issue.number).map((c) => ({ id: c.id, body: c.body, user: c.author }));
      return json(res, 200, listed);
    }
    return false;
  }

  private list(request: RecordedRequest, res: ServerResponse): true {
    const state = request.query.state ?? 'open';
    const all = this.issues
      .filter((i) => state === 'all' || i.state === state)
      .sort((a, b) => b.number - a.number) // newest first, as GitHub's default sort
      .map((i) => this.json(i));
    const perPage = Math.min(Number(request.query.per_page ?? 30), 100);
    const page = Number(request.query.page ?? 1);
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const headers: Record<string, string> = {};
    if (page < last) {
      const next = new URLSearchParams({ ...request.query, page: String(page + 1) });
      headers.link = `<${this.fake.baseUrl}${request.path}?${next}>; rel="next"`;
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(all.slice((page - 1) * perPage, page * perPage)));
    return true;
  }

  private json(i: FakeIssue): Record<string, unknown> {
    const repo = `${this.options.owner ?? 'acme'}/${this.options.repo ?? 'infra'}`;
    return {
      number: i.number,
      title: i.title,
      body: i.body,
      state: i.state,
      state_reason: i.stateReason,
      user: { login: i.author.login, type: i.author.type },
      html_url: `https://github.com/${repo}/issues/${i.number}`,
      created_at: i.createdAt,
      updated_at: i.updatedAt,
      ...(i.pullRequest ? { pull_request: { url: `https://api.github.com/repos/${repo}/pulls/${i.number}` } } : {}),
    };
  }
}

function json(res: ServerResponse, status: number, body: unknown): true {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
  return true;
}
