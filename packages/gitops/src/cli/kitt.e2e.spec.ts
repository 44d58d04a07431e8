import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TempRepo } from '@kitt/flag-config/src/__fixtures__/temp-repo';

/** The real entry point, as `npx kitt` runs it, against a scratch repository. */
const REPO = resolve(__dirname, '../../../..');
const KITT = join(REPO, 'scripts/kitt.mjs');

function makeRepository(): TempRepo {
  return new TempRepo('kitt-e2e-')
    .copyIn(join(REPO, 'nx.json'), 'nx.json')
    .copyIn(join(REPO, 'flags/org.yaml'), 'flags/org.yaml');
}

function kitt(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [KITT, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the kitt executable', () => {
  let temp: TempRepo;
  let repo: string;
  beforeEach(() => {
    temp = makeRepository();
    repo = temp.root;
  });
  afterEach(() => temp.dispose());

  it('writes a FLAG with kitt new that kitt check then accepts', () => {
    const created = kitt(
      repo,
      'new',
      'acme',
      'prod',
      'us-east-1',
      '--zones',
      'us-east-1a,us-east-1b,us-east-1c',
      '--account-id',
      '111122223333',
    );
    expect(created).toMatchObject({ code: 0 });
    expect(created.stdout).toContain('flags/acme/prod/us-east-1/flag.yaml');

    const checked = kitt(repo, 'check');
    expect(checked.stderr).toBe('');
    expect(checked).toMatchObject({ code: 0 });
    expect(checked.stdout).toContain('1 FLAG(s) valid');
  });

  it('refuses to overwrite an existing FLAG and leaves it untouched', () => {
    kitt(repo, 'new', 'acme', 'prod', 'us-east-1', '--zones', 'us-east-1a', '--account-id', '111122223333');
    const file = join(repo, 'flags/acme/prod/us-east-1/flag.yaml');
    const before = readFileSync(file, 'utf8');

    const again = kitt(
      repo,
      'new',
      'acme',
      'prod',
      'us-east-1',
      '--zones',
      'us-east-1a,us-east-1b',
      '--account-id',
      '111122223333',
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('FLAG_EXISTS');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('writes nothing when kitt new would produce an invalid FLAG', () => {
    const result = kitt(
      repo,
      'new',
      'acme',
      'prod',
      'us-east-1',
      '--zones',
      'us-east-1a,us-east-1b',
      '--cells',
      '6',
      '--account-id',
      '111122223333',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cells');
    expect(existsSync(join(repo, 'flags/acme'))).toBe(false);
  });

  it('reports bad input with file, line, field and code, exit 1 and no stack trace', () => {
    kitt(repo, 'new', 'acme', 'prod', 'us-east-1', '--zones', 'us-east-1a', '--account-id', '111122223333');
    const file = join(repo, 'flags/acme/prod/us-east-1/flag.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('vpcCidr: 10.0.0.0/16', 'vpcCidr: 10.0.0.0/20'));

    const result = kitt(repo, 'check');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /flags\/acme\/prod\/us-east-1\/flag\.yaml:\d+ network\.vpcCidr: .*\[VPC_NOT_SLASH16\]/,
    );
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('exits 2 on an unknown option', () => {
    const result = kitt(repo, 'network', '--colour');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--colour'");
  });
});
