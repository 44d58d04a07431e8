import * as path from 'node:path';
import { loadOrg, orgLineOf } from '@kitt/flag-config';
import { BootstrapError, type BootstrapBackend } from '@kitt/bootstrap-layer';
import { BootstrapRunErrorCode, bootstrapRunError } from '../../bootstrap/errors';
import { applyBootstrap } from '../../bootstrap/run-bootstrap';
import { synthesizeBootstrap, type SynthesizedBootstrap } from '../../bootstrap/synth-bootstrap';
import { createGitHubClient } from '../../github/client';
import { defineCommand } from '../command';

const BACKENDS = ['local', 's3'] as const satisfies readonly BootstrapBackend[];

export const bootstrapCommand = defineCommand({
  name: 'bootstrap',
  usage: `Usage: kitt bootstrap <account-id> [--apply] [--backend local|s3] [--out DIR]

Synthesizes the bootstrap stack of one AWS account listed in flags/org.yaml
(kitt-bootstrap-<account-id>): GitHub's OIDC provider and the plan and apply
roles org.yaml names, trusted only for this repository's plan.yml (pull
requests), drift.yml and apply.yml (main, in org.yaml's Environments); in the
state account (state.accountId) also the Terraform state bucket. Without
--apply nothing outside --out is touched.

Options:
  --apply             as an administrator: set the repository's OIDC subject
                      claims (repo, context, job_workflow_ref) and read them
                      back, check that every apply Environment deploys from
                      main alone, then terraform init, plan and apply
  --backend local|s3  where the stack's own state lives (default: local, a
                      terraform.tfstate in the stack's directory; s3: the state
                      bucket, moved there with terraform init -migrate-state)
  --out DIR           where the stack's directory goes (default: cdktf.out/bootstrap)

Environment (with --apply):
  GITHUB_TOKEN        a token of a repository administrator (e.g. gh auth token)
  GITHUB_API_URL      the API root (default https://api.github.com)
  KITT_TERRAFORM      the terraform executable (default: terraform on PATH)
  AWS credentials     an administrator of the account (AWS_PROFILE, ...)

Examples:
  kitt bootstrap 111111111111
  GITHUB_TOKEN="$(gh auth token)" AWS_PROFILE=admin-111 kitt bootstrap 111111111111 --apply
  kitt bootstrap 111111111111 --apply --backend s3
`,
  options: {
    apply: { type: 'boolean', default: false },
    backend: { type: 'string', default: 'local', choices: BACKENDS },
    out: { type: 'string', default: 'cdktf.out/bootstrap' },
  },
  positionals: { min: 1, max: 1 },
  async run({ values, positionals }, ctx) {
    const [accountId] = positionals as [string];
    const org = loadOrg(ctx.cwd);
    const token = ctx.env['GITHUB_TOKEN'];
    if (values.apply && !token) {
      throw bootstrapRunError(
        BootstrapRunErrorCode.GITHUB_TOKEN_MISSING,
        'kitt bootstrap --apply sets and checks the repository\'s OIDC and Environment settings: set GITHUB_TOKEN to a repository administrator\'s token (e.g. GITHUB_TOKEN="$(gh auth token)")',
      );
    }
    const synthesized = atLines(ctx.cwd, () =>
      synthesizeBootstrap(org, accountId, values.backend, path.resolve(ctx.cwd, values.out)),
    );
    ctx.stdout(describe(synthesized, path.relative(ctx.cwd, synthesized.dir) || '.'));
    if (!values.apply || !token) {
      ctx.stdout(
        `\nNothing applied. As an administrator of account ${accountId}, run:\n  kitt bootstrap ${accountId} --apply${values.backend === 's3' ? ' --backend s3' : ''}\n`,
      );
      return 0;
    }
    const octokit = createGitHubClient({
      token,
      ...(ctx.env['GITHUB_API_URL'] ? { baseUrl: ctx.env['GITHUB_API_URL'] } : {}),
    });
    await applyBootstrap({ synthesized, octokit, env: ctx.env, print: ctx.stdout });
    if (synthesized.config.backend === 'local') {
      ctx.stdout(
        `\nIts state is in ${path.relative(ctx.cwd, synthesized.dir)}/terraform.tfstate: keep it. Once the state bucket ` +
          `exists, move it there: kitt bootstrap ${accountId} --apply --backend s3 (terraform init -migrate-state).\n`,
      );
    }
    return 0;
  },
});

/** A BootstrapError of org.yaml, at its line. */
function atLines<T>(cwd: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw error instanceof BootstrapError ? error.atLine(orgLineOf(cwd)) : error;
  }
}

function describe({ stack, config }: SynthesizedBootstrap, dir: string): string {
  const lines = [
    `✓ ${stack}: ${dir}/cdk.tf.json (state: ${config.backend === 'local' ? `${dir}/terraform.tfstate` : 'the state bucket'})`,
    `  GitHub OIDC provider, trusted for ${config.repository}`,
    `  plan role  ${config.planRole.arn}: pull requests' plan.yml, drift.yml on main`,
    `  apply role ${config.applyRole.arn}: apply.yml on main in ${config.environments.join(', ')}`,
    ...(config.stateBucket ? [`  state bucket ${config.stateBucket.bucket} (this account owns it)`] : []),
  ];
  return `${lines.join('\n')}\n`;
}
