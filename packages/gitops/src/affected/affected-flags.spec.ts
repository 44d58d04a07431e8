import { findAffectedFlags, type AffectedFlagsInput } from './affected-flags';
import { scopeChanges } from './change-scope';

const A = 'flags/acme/prod/us-east-1';
const B = 'flags/beta/dev/eu-west-1';
const C = 'flags/core/prod/eu-central-1';

/** An input where Nx must not be asked unless a test says what it answers. */
function input(changed: readonly string[], overrides: Partial<AffectedFlagsInput> = {}): AffectedFlagsInput {
  const never = () => Promise.reject(new Error('Nx should not be asked'));
  return {
    scope: scopeChanges(changed),
    headFlagDirs: [A, B],
    baseFlagDirs: [A, B],
    detector: 'nx',
    nxAffectedProjects: never,
    nxAllProjects: never,
    ...overrides,
  };
}

describe('findAffectedFlags', () => {
  it('takes a changed flag.yaml to that FLAG alone, without asking Nx', async () => {
    expect((await findAffectedFlags(input([`${A}/flag.yaml`]))).flagDirs).toEqual([A]);
  });

  it('keeps a removed FLAG (only base has it) and a new one (only head has it)', async () => {
    const result = await findAffectedFlags(
      input([`${B}/flag.yaml`, `${C}/flag.yaml`], { headFlagDirs: [A, C], baseFlagDirs: [A, B] }),
    );
    expect(result.flagDirs).toEqual([B, C]);
  });

  it('takes flags/org.yaml to every FLAG at head', async () => {
    expect((await findAffectedFlags(input(['flags/org.yaml']))).flagDirs).toEqual([A, B]);
  });

  it('asks Nx which FLAG projects a package change affects', async () => {
    const result = await findAffectedFlags(
      input(['packages/flag-layer/src/vpc.ts'], {
        nxAffectedProjects: async () => ['@kitt/flag-layer', 'flag-beta-dev-eu-west-1'],
      }),
    );
    expect(result).toEqual({ flagDirs: [B], warnings: [] });
  });

  it('trusts an empty Nx answer when Nx knows the FLAG projects', async () => {
    const result = await findAffectedFlags(
      input(['packages/gitops/README.md'], {
        nxAffectedProjects: async () => ['@kitt/gitops'],
        nxAllProjects: async () => ['@kitt/gitops', 'flag-acme-prod-us-east-1', 'flag-beta-dev-eu-west-1'],
      }),
    );
    expect(result).toEqual({ flagDirs: [], warnings: [] });
  });

  it('compares every FLAG, with a warning, when Nx knows no FLAG projects', async () => {
    const result = await findAffectedFlags(
      input(['packages/flag-layer/src/vpc.ts'], {
        nxAffectedProjects: async () => ['@kitt/flag-layer'],
        nxAllProjects: async () => ['@kitt/flag-layer'],
      }),
    );
    expect(result.flagDirs).toEqual([A, B]);
    expect(result.warnings).toEqual([expect.stringContaining('Nx knows no FLAG projects')]);
  });

  it('with the paths detector, takes a package change to every FLAG without Nx', async () => {
    const result = await findAffectedFlags(input(['packages/flag-layer/src/vpc.ts'], { detector: 'paths' }));
    expect(result.flagDirs).toEqual([A, B]);
  });

  it('affects nothing for a documentation change', async () => {
    expect((await findAffectedFlags(input(['README.md']))).flagDirs).toEqual([]);
  });
});
