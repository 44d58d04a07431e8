/**
 * The repository settings the AWS roles' trust relies on, read and written through the REST API with an
 * administrator's token (`kitt bootstrap --apply`):
 * - the OIDC subject customization: the claims GitHub puts in a token's `sub`, in order
 *   (`PUT /repos/{owner}/{repo}/actions/oidc/customization/sub`); the roles' conditions name `job_workflow_ref`;
 * - the deployment branches of the apply Environments, which must be the main branch alone: a second lock
 *   beside the apply role's trust.
 */
import type { GitHubClient } from './client';
import { toGitHubError } from './errors';

export interface Repository {
  readonly owner: string;
  readonly repo: string;
}

/** The repository's subject claims as GitHub reports them. */
export interface OidcSubjectClaims {
  /** True: GitHub's default subject (`repo:O/R:<context>`), which names no workflow. */
  readonly useDefault: boolean;
  readonly claimKeys: readonly string[];
}

/** Sets the repository's custom subject to exactly `claimKeys`, in order. */
export async function setOidcSubjectClaims(
  client: GitHubClient,
  repository: Repository,
  claimKeys: readonly string[],
): Promise<void> {
  try {
    await client.rest.actions.setCustomOidcSubClaimForRepo({
      ...repository,
      use_default: false,
      include_claim_keys: [...claimKeys],
    });
  } catch (error) {
    throw toGitHubError(error, `setting the OIDC subject claims of ${repository.owner}/${repository.repo}`);
  }
}

export async function readOidcSubjectClaims(client: GitHubClient, repository: Repository): Promise<OidcSubjectClaims> {
  try {
    const { data } = await client.rest.actions.getCustomOidcSubClaimForRepo({ ...repository });
    return { useDefault: data.use_default, claimKeys: data.include_claim_keys ?? [] };
  } catch (error) {
    throw toGitHubError(error, `reading the OIDC subject claims of ${repository.owner}/${repository.repo}`);
  }
}

/** Why an Environment is or is not limited to one branch. */
export type BranchLimit =
  | { readonly environment: string; readonly limited: true }
  | { readonly environment: string; readonly limited: false; readonly reason: string };

/** An Environment as `GET /repos/{o}/{r}/environments/{name}` gives its deployment branches. */
export interface EnvironmentBranchSettings {
  /** null: any branch may deploy. */
  readonly deployment_branch_policy?: {
    readonly protected_branches: boolean;
    readonly custom_branch_policies: boolean;
  } | null;
}

/** A deployment branch policy of an Environment (`name` is a branch or tag name pattern). */
export interface DeploymentBranchPolicy {
  readonly name?: string;
  /** @default 'branch' (GitHub omits it for older policies) */
  readonly type?: string;
}

/** Pure: whether an Environment's settings let `branch` and nothing else deploy. */
export function branchLimitOf(
  environment: string,
  settings: EnvironmentBranchSettings,
  policies: readonly DeploymentBranchPolicy[],
  branch: string,
): BranchLimit {
  const policy = settings.deployment_branch_policy;
  const fix = `set its deployment branches to "Selected branches and tags" with the one branch rule ${branch}`;
  if (!policy) return { environment, limited: false, reason: `any branch may deploy to it: ${fix}` };
  if (policy.protected_branches) {
    return {
      environment,
      limited: false,
      reason: `every protected branch may deploy to it, not ${branch} alone: ${fix}`,
    };
  }
  const rules = policies.map((p) => `${p.type ?? 'branch'} ${p.name ?? '?'}`);
  const onlyBranch =
    policies.length === 1 && (policies[0]?.type ?? 'branch') === 'branch' && policies[0]?.name === branch;
  if (onlyBranch) return { environment, limited: true };
  const shown = rules.length === 0 ? 'no rule' : rules.join(', ');
  return {
    environment,
    limited: false,
    reason: `its deployment rules are ${shown}, not branch ${branch} alone: ${fix}`,
  };
}

/** Reads each Environment and its branch policies; a missing Environment is not limited. */
export async function readBranchLimits(
  client: GitHubClient,
  repository: Repository,
  environments: readonly string[],
  branch: string,
): Promise<BranchLimit[]> {
  const where = `${repository.owner}/${repository.repo}`;
  const limits: BranchLimit[] = [];
  for (const environment of environments) {
    let settings: EnvironmentBranchSettings;
    try {
      ({ data: settings } = await client.rest.repos.getEnvironment({ ...repository, environment_name: environment }));
    } catch (error) {
      if ((error as { status?: unknown }).status === 404) {
        limits.push({
          environment,
          limited: false,
          reason: `${where} has no such Environment: create it, limited to the branch ${branch}`,
        });
        continue;
      }
      throw toGitHubError(error, `reading the Environment ${environment} of ${where}`);
    }
    const policies = settings.deployment_branch_policy?.custom_branch_policies
      ? await listBranchPolicies(client, repository, environment)
      : [];
    limits.push(branchLimitOf(environment, settings, policies, branch));
  }
  return limits;
}

async function listBranchPolicies(
  client: GitHubClient,
  repository: Repository,
  environment: string,
): Promise<DeploymentBranchPolicy[]> {
  try {
    const pages = await client.paginate(client.rest.repos.listDeploymentBranchPolicies, {
      ...repository,
      environment_name: environment,
      per_page: 100,
    });
    return pages as DeploymentBranchPolicy[];
  } catch (error) {
    throw toGitHubError(error, `listing the deployment branch policies of the Environment ${environment}`);
  }
}
