/**
 * The repository settings endpoints of the fake GitHub that `kitt bootstrap --apply` uses, added to a
 * `FakeGitHub` through its routes: the OIDC subject customization (`GET`/`PUT
 * /repos/{o}/{r}/actions/oidc/customization/sub`, with GitHub's 422 for `use_default: false` without claims)
 * and Environments with their deployment branch policies (`GET /repos/{o}/{r}/environments/{name}`,
 * `GET .../deployment-branch-policies`, paginated, `total_count` plus `branch_policies`).
 */
import type { ServerResponse } from 'node:http';
import type { FakeGitHub, RecordedRequest } from './fake-github';

/** An Environment's deployment branches, as its settings page offers them. */
export type FakeDeploymentBranches =
  | { readonly kind: 'any' }
  | { readonly kind: 'protected' }
  | { readonly kind: 'custom'; readonly policies: readonly { readonly name: string; readonly type?: 'branch' | 'tag' }[] };

export class FakeRepositorySettings {
  /** What `GET .../oidc/customization/sub` answers; GitHub's default until a PUT. */
  oidcSubject: { use_default: boolean; include_claim_keys?: string[] } = { use_default: true };
  /** Accept a PUT of the subject claims (201) but keep the old ones, as a repository whose setting will not stick. */
  discardSubjectWrites = false;
  private readonly environments = new Map<string, FakeDeploymentBranches>();

  constructor(
    fake: FakeGitHub,
    private readonly owner = 'acme',
    private readonly repo = 'infra',
  ) {
    fake.addRoutes((request, res) => this.route(request, res));
  }

  setEnvironment(name: string, branches: FakeDeploymentBranches): void {
    this.environments.set(name, branches);
  }

  private route(request: RecordedRequest, res: ServerResponse): boolean {
    const repoPath = `/repos/${this.owner}/${this.repo}`;
    if (request.path === `${repoPath}/actions/oidc/customization/sub`) {
      if (request.method === 'GET') return json(res, 200, this.oidcSubject);
      if (request.method === 'PUT') return this.putOidcSubject(request, res);
      return false;
    }
    const environment = new RegExp(`^${repoPath}/environments/([^/]+)(/deployment-branch-policies)?$`).exec(
      request.path,
    );
    if (!environment || request.method !== 'GET') return false;
    const name = decodeURIComponent(environment[1] as string);
    const branches = this.environments.get(name);
    if (!branches) return json(res, 404, { message: 'Not Found', status: '404' });
    if (environment[2]) return this.listPolicies(res, request, branches);
    return json(res, 200, {
      id: 161088068,
      name,
      protection_rules: [],
      deployment_branch_policy:
        branches.kind === 'any'
          ? null
          : { protected_branches: branches.kind === 'protected', custom_branch_policies: branches.kind === 'custom' },
    });
  }

  private putOidcSubject(request: RecordedRequest, res: ServerResponse): boolean {
    const body = request.body as { use_default?: unknown; include_claim_keys?: unknown } | undefined;
    const keys = body?.include_claim_keys;
    const valid =
      body?.use_default === true ||
      (Array.isArray(keys) && keys.length > 0 && keys.every((k) => typeof k === 'string'));
    if (!valid) {
      return json(res, 422, { message: 'Invalid request.\n\n"include_claim_keys" is required.', status: '422' });
    }
    if (this.discardSubjectWrites) return json(res, 201, {});
    this.oidcSubject =
      body?.use_default === true ? { use_default: true } : { use_default: false, include_claim_keys: keys as string[] };
    return json(res, 201, {});
  }

  private listPolicies(res: ServerResponse, request: RecordedRequest, branches: FakeDeploymentBranches): boolean {
    if (branches.kind !== 'custom') return json(res, 404, { message: 'Not Found', status: '404' });
    const all = branches.policies.map((p, i) => ({
      id: 361471 + i,
      node_id: `MDE2OkdhdGVCcmFuY2hQb2xpY3kzNjE0NzE=${i}`,
      name: p.name,
      type: p.type ?? 'branch',
    }));
    const perPage = Number(request.query['per_page'] ?? 30);
    const page = Number(request.query['page'] ?? 1);
    return json(res, 200, { total_count: all.length, branch_policies: all.slice((page - 1) * perPage, page * perPage) });
  }
}

function json(res: ServerResponse, status: number, body: unknown): true {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
  return true;
}
