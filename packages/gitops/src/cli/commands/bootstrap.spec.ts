import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TempRepo } from '@kitt/flag-config/src/__fixtures__/temp-repo';
import { STATEFUL_TERRAFORM } from '../../apply/__fixtures__/journey';
import { FakeGitHub } from '../../github/__fixtures__/fake-github';
import { FakeRepositorySettings } from '../../github/__fixtures__/fake-repository-settings';
import { runKittIn } from '../__fixtures__/run-kitt';

const STATE_ACCOUNT = '111111111111';
const STACK = `kitt-bootstrap-${STATE_ACCOUNT}`;
const STACK_DIR = `cdktf.out/bootstrap/${STACK}`;

describe('kitt bootstrap', () => {
  let repo: TempRepo;
  let github: FakeGitHub;
  let settings: FakeRepositorySettings;
  beforeEach(async () => {
    repo = new TempRepo('kitt-bootstrap-').copyExampleFlags();
    // The example org.yaml names example-org/platform-flags and the Environments production and development.
    github = await FakeGitHub.start({ owner: 'example-org', repo: 'platform-flags' });
    settings = new FakeRepositorySettings(github, 'example-org', 'platform-flags');
    settings.setEnvironment('production', { kind: 'custom', policies: [{ name: 'main' }] });
    settings.setEnvironment('development', { kind: 'custom', policies: [{ name: 'main' }] });
  });
  afterEach(async () => {
    await github.close();
    repo.dispose();
  });

  const terraformLog = () => path.join(repo.root, 'terraform-calls.log');
  const bootstrap = (args: readonly string[], env: Record<string, string> = {}) =>
    runKittIn(['bootstrap', ...args], {
      cwd: repo.root,
      env: {
        PATH: process.env.PATH,
        GITHUB_TOKEN: 'test-token',
        GITHUB_API_URL: github.baseUrl,
        KITT_TERRAFORM: STATEFUL_TERRAFORM,
        FAKE_TF_STATE_DIR: path.join(repo.root, 'fake-state'),
        FAKE_TERRAFORM_LOG: terraformLog(),
        ...env,
      },
    });
  /** Every terraform call, as `[directory name, ...args]`. */
  const terraformCalls = (): string[][] =>
    existsSync(terraformLog())
      ? readFileSync(terraformLog(), 'utf8')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { cwd: string; args: string[] })
          .map(({ cwd, args }) => [path.basename(cwd), ...args])
      : [];
  const config = () =>
    JSON.parse(readFileSync(path.join(repo.root, STACK_DIR, 'cdk.tf.json'), 'utf8')) as {
      terraform: { backend: Record<string, unknown> };
      resource: Record<string, Record<string, unknown>>;
    };

  it('synthesizes only: the stack on local state, no GitHub request, no terraform', async () => {
    const { code, stdout, stderr } = await bootstrap([STATE_ACCOUNT]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain(`✓ ${STACK}: ${STACK_DIR}/cdk.tf.json`);
    expect(stdout).toContain('state bucket kitt-tfstate-example (this account owns it)');
    expect(config().terraform.backend).toEqual({ local: { path: 'terraform.tfstate' } });
    expect(Object.keys(config().resource)).toContain('aws_s3_bucket');
    expect(github.requests).toEqual([]);
    expect(terraformCalls()).toEqual([]);
  });

  it('refuses an account org.yaml does not list, naming the lines to add, and writes nothing', async () => {
    const { code, stderr } = await bootstrap(['444444444444']);
    expect(code).toBe(1);
    expect(stderr).toContain('flags/org.yaml:');
    expect(stderr).toContain('  "444444444444":\n');
    expect(stderr).toContain('planRoleArn: arn:aws:iam::444444444444:role/kitt-plan');
    expect(stderr).toContain('BOOTSTRAP_ACCOUNT_NOT_LISTED');
    expect(existsSync(path.join(repo.root, 'cdktf.out'))).toBe(false);
  });

  it('--apply sets the OIDC subject claims, checks the Environments, then inits, plans and applies the stack', async () => {
    const { code, stdout, stderr } = await bootstrap([STATE_ACCOUNT, '--apply']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(github.requestsTo('PUT', /\/actions\/oidc\/customization\/sub$/).map((r) => r.body)).toEqual([
      { use_default: false, include_claim_keys: ['repo', 'context', 'job_workflow_ref'] },
    ]);
    expect(settings.oidcSubject).toEqual({
      use_default: false,
      include_claim_keys: ['repo', 'context', 'job_workflow_ref'],
    });
    expect(stdout).toContain('✓ example-org/platform-flags: OIDC subject claims repo, context, job_workflow_ref');
    expect(stdout).toContain('✓ Environment production: deploys from main only');
    expect(stdout).toContain('✓ Environment development: deploys from main only');
    expect(terraformCalls()).toEqual([
      [STACK, 'init', '-input=false', '-no-color'],
      [STACK, 'plan', '-input=false', '-no-color', '-lock-timeout=5m', '-out=bootstrap.tfplan'],
      [STACK, 'apply', '-input=false', '-no-color', '-lock-timeout=5m', 'bootstrap.tfplan'],
    ]);
    const state = JSON.parse(readFileSync(path.join(repo.root, 'fake-state', `${STACK}.json`), 'utf8')) as {
      resources: Record<string, unknown>;
    };
    expect(Object.keys(state.resources)).toEqual(
      expect.arrayContaining(['aws_iam_role.role-plan', 'aws_iam_role.role-apply', 'aws_s3_bucket.state-bucket']),
    );
    expect(stdout).toContain('terraform init -migrate-state');
  });

  it('--apply --backend s3 moves the state into the bucket with terraform init -migrate-state', async () => {
    const { code, stderr } = await bootstrap([STATE_ACCOUNT, '--apply', '--backend', 's3']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(config().terraform.backend).toEqual({
      s3: expect.objectContaining({ bucket: 'kitt-tfstate-example', key: `bootstrap/${STATE_ACCOUNT}.tfstate` }),
    });
    expect(terraformCalls()[0]).toEqual([STACK, 'init', '-input=false', '-no-color', '-migrate-state', '-force-copy']);
  });

  it('--apply refuses an Environment that may deploy from other branches, and applies nothing', async () => {
    settings.setEnvironment('production', { kind: 'protected' });
    const { code, stdout, stderr } = await bootstrap([STATE_ACCOUNT, '--apply']);
    expect(code).toBe(1);
    expect(stdout).toContain('✗ Environment production: every protected branch may deploy to it');
    expect(stderr).toContain('BOOTSTRAP_ENVIRONMENT_NOT_LIMITED');
    expect(terraformCalls()).toEqual([]);
  });

  it('--apply stops when GitHub refuses the OIDC setting, before any terraform', async () => {
    github.failNext({
      method: 'PUT',
      path: /oidc\/customization\/sub$/,
      status: 403,
      body: { message: 'Must have admin rights to Repository.' },
    });
    const { code, stderr } = await bootstrap([STATE_ACCOUNT, '--apply']);
    expect(code).toBe(1);
    expect(stderr).toContain('Must have admin rights to Repository.');
    expect(stderr).toContain('GITHUB_API_ERROR');
    expect(terraformCalls()).toEqual([]);
  });

  it('--apply refuses when GitHub does not report the claims it was given, before any terraform', async () => {
    settings.discardSubjectWrites = true;
    const { code, stderr } = await bootstrap([STATE_ACCOUNT, '--apply']);
    expect(code).toBe(1);
    expect(stderr).toContain("reports GitHub's default subject as its OIDC subject");
    expect(stderr).toContain('BOOTSTRAP_OIDC_SUBJECT_MISMATCH');
    expect(terraformCalls()).toEqual([]);
  });

  it('--apply without GITHUB_TOKEN is refused before anything is written', async () => {
    const { code, stderr } = await bootstrap([STATE_ACCOUNT, '--apply'], { GITHUB_TOKEN: '' });
    expect(code).toBe(1);
    expect(stderr).toContain('BOOTSTRAP_GITHUB_TOKEN_MISSING');
    expect(existsSync(path.join(repo.root, 'cdktf.out'))).toBe(false);
    expect(github.requests).toEqual([]);
  });

  it('--apply reports a failed terraform apply with its error', async () => {
    const { code, stderr } = await bootstrap([STATE_ACCOUNT, '--apply'], { FAKE_TF_FAIL_APPLY: STACK });
    expect(code).toBe(1);
    expect(stderr).toContain('terraform apply exited with code 1');
    expect(stderr).toContain('AccessDenied');
    expect(stderr).toContain('BOOTSTRAP_TERRAFORM_FAILED');
  });

  it('--apply refuses when terraform is not installed, before touching GitHub', async () => {
    const { code, stderr } = await bootstrap([STATE_ACCOUNT, '--apply'], { KITT_TERRAFORM: 'no-such-terraform' });
    expect(code).toBe(1);
    expect(stderr).toContain('TERRAFORM_NOT_FOUND');
    expect(github.requests).toEqual([]);
  });
});
