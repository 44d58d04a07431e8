import { GITHUB_OIDC_SUBJECT_CLAIMS, MAIN_BRANCH } from '@kitt/flag-config';
import type { GitHubClient } from '../github/client';
import { readBranchLimits, readOidcSubjectClaims, setOidcSubjectClaims } from '../github/repository-trust';
import { TERRAFORM_BINARY_ENV, locateTerraform } from '../terraform/binary';
import { BootstrapRunErrorCode, bootstrapRunError } from './errors';
import type { SynthesizedBootstrap } from './synth-bootstrap';
import { bootstrapSteps, runBootstrapSteps } from './terraform-steps';

type Env = Readonly<Record<string, string | undefined>>;

export interface BootstrapApplyRequest {
  readonly synthesized: SynthesizedBootstrap;
  /** A client with a token that administers the repository (its OIDC and Environment settings). */
  readonly octokit: GitHubClient;
  readonly env: Env;
  readonly print: (text: string) => void;
}

/**
 * `kitt bootstrap --apply`, as an administrator: the repository's OIDC subject set to the claims the roles
 * name and read back, the apply Environments checked to deploy from main alone, then the stack applied
 * (init, with `-migrate-state` when it keeps its state in the bucket; plan; apply of that plan). GitHub comes
 * first: a repository that cannot hold the trust's premises gets no roles.
 */
export async function applyBootstrap(request: BootstrapApplyRequest): Promise<void> {
  const { synthesized, octokit, print } = request;
  const { config } = synthesized;
  const terraform = locateTerraform(request.env, synthesized.dir);
  if (terraform.path === undefined) {
    throw bootstrapRunError(
      BootstrapRunErrorCode.TERRAFORM_NOT_FOUND,
      `'${terraform.command}' is not installed or not on PATH (or name it with ${TERRAFORM_BINARY_ENV}): nothing was changed`,
    );
  }
  const [owner = '', repo = ''] = config.repository.split('/');
  const repository = { owner, repo };

  await setOidcSubjectClaims(octokit, repository, GITHUB_OIDC_SUBJECT_CLAIMS);
  const claims = await readOidcSubjectClaims(octokit, repository);
  const wanted = GITHUB_OIDC_SUBJECT_CLAIMS.join(', ');
  if (claims.useDefault || claims.claimKeys.join(', ') !== wanted) {
    const got = claims.useDefault ? "GitHub's default subject" : claims.claimKeys.join(', ') || 'no claims';
    throw bootstrapRunError(
      BootstrapRunErrorCode.OIDC_SUBJECT_MISMATCH,
      `${config.repository} reports ${got} as its OIDC subject after kitt set ${wanted}: ` +
        'the roles would trust no run. Nothing was applied in AWS.',
    );
  }
  print(`✓ ${config.repository}: OIDC subject claims ${wanted}\n`);

  const limits = await readBranchLimits(octokit, repository, config.environments, MAIN_BRANCH);
  for (const limit of limits) {
    print(
      limit.limited
        ? `✓ Environment ${limit.environment}: deploys from ${MAIN_BRANCH} only\n`
        : `✗ Environment ${limit.environment}: ${limit.reason}\n`,
    );
  }
  const open = limits.filter((limit) => !limit.limited).map((limit) => limit.environment);
  if (open.length > 0) {
    throw bootstrapRunError(
      BootstrapRunErrorCode.ENVIRONMENT_NOT_LIMITED,
      `the GitHub Environment(s) ${open.join(', ')} of ${config.repository} are not limited to ${MAIN_BRANCH} ` +
        `(Settings → Environments → Deployment branches and tags); fix them and run again. Nothing was applied in AWS.`,
    );
  }

  await runBootstrapSteps(bootstrapSteps({ migrate: config.backend === 's3' }), {
    dir: synthesized.dir,
    binary: terraform.path,
    env: request.env,
    print,
  });
  print(`✓ ${synthesized.stack} applied\n`);
}
