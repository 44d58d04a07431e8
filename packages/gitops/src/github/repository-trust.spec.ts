import { FakeGitHub } from './__fixtures__/fake-github';
import { FakeRepositorySettings } from './__fixtures__/fake-repository-settings';
import { GitHubError } from './errors';
import { branchLimitOf, readBranchLimits, readOidcSubjectClaims, setOidcSubjectClaims } from './repository-trust';

const REPO = { owner: 'acme', repo: 'infra' };
let fake: FakeGitHub;
let settings: FakeRepositorySettings;
beforeEach(async () => {
  fake = await FakeGitHub.start();
  settings = new FakeRepositorySettings(fake);
});
afterEach(() => fake.close());

describe('OIDC subject claims', () => {
  it('reads the default subject of a repository never customized', async () => {
    expect(await readOidcSubjectClaims(fake.client(), REPO)).toEqual({ useDefault: true, claimKeys: [] });
  });

  it('sets the claims in order and reads them back', async () => {
    const claims = ['repo', 'context', 'job_workflow_ref'];
    await setOidcSubjectClaims(fake.client(), REPO, claims);
    expect(fake.requestsTo('PUT', /oidc\/customization\/sub$/)[0]?.body).toEqual({
      use_default: false,
      include_claim_keys: claims,
    });
    expect(await readOidcSubjectClaims(fake.client(), REPO)).toEqual({ useDefault: false, claimKeys: claims });
  });

  it("reports GitHub's refusal with the operation", async () => {
    await expect(setOidcSubjectClaims(fake.client(), REPO, [])).rejects.toThrow(
      /setting the OIDC subject claims of acme\/infra failed: HTTP 422/,
    );
  });

  it('reports a token GitHub refuses', async () => {
    const error = await readOidcSubjectClaims(fake.client({ token: 'wrong' }), REPO).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubError);
    expect((error as GitHubError).message).toContain('HTTP 401');
  });
});

describe('Environments limited to main', () => {
  it('accepts an Environment whose one deployment rule is the branch main', async () => {
    settings.setEnvironment('production', { kind: 'custom', policies: [{ name: 'main' }] });
    expect(await readBranchLimits(fake.client(), REPO, ['production'], 'main')).toEqual([
      { environment: 'production', limited: true },
    ]);
  });

  it('refuses any branch, protected branches, other rules, and a missing Environment, saying why', async () => {
    settings.setEnvironment('any', { kind: 'any' });
    settings.setEnvironment('protected', { kind: 'protected' });
    settings.setEnvironment('wide', { kind: 'custom', policies: [{ name: 'main' }, { name: 'release/*' }] });
    settings.setEnvironment('tag', { kind: 'custom', policies: [{ name: 'main', type: 'tag' }] });
    settings.setEnvironment('none', { kind: 'custom', policies: [] });
    const limits = await readBranchLimits(
      fake.client(),
      REPO,
      ['any', 'protected', 'wide', 'tag', 'none', 'missing'],
      'main',
    );
    expect(limits.map((l) => [l.environment, l.limited ? 'limited' : l.reason])).toEqual([
      ['any', expect.stringContaining('any branch may deploy')],
      ['protected', expect.stringContaining('every protected branch')],
      ['wide', expect.stringContaining('branch main, branch release/*')],
      ['tag', expect.stringContaining('tag main')],
      ['none', expect.stringContaining('no rule')],
      ['missing', expect.stringContaining('has no such Environment')],
    ]);
  });

  it('reads an Environment whose name needs escaping in the URL', async () => {
    settings.setEnvironment('prod eu', { kind: 'custom', policies: [{ name: 'main' }] });
    expect(await readBranchLimits(fake.client(), REPO, ['prod eu'], 'main')).toEqual([
      { environment: 'prod eu', limited: true },
    ]);
  });

  it('treats a policy without a type as a branch rule, as GitHub did before tags', () => {
    const settingsJson = { deployment_branch_policy: { protected_branches: false, custom_branch_policies: true } };
    expect(branchLimitOf('production', settingsJson, [{ name: 'main' }], 'main')).toEqual({
      environment: 'production',
      limited: true,
    });
  });
});
