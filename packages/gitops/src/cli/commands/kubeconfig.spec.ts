import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { TempRepo } from '@kitt/flag-config/src/__fixtures__/temp-repo';
import { runKittIn } from '../__fixtures__/run-kitt';

const FIXTURES = path.join(__dirname, '../../cluster-access/__fixtures__');
const STAND_IN_AWS = path.join(FIXTURES, 'bin/aws');
const CA_PEM = readFileSync(path.join(FIXTURES, 'ca.crt'), 'utf8');
const FLAG = 'flags/payments/prod/us-east-1';
const CLUSTER = 'payments-prod-us-east-1-a1';
const API = 'api.a1.payments-prod-us-east-1.kitt.example.com';

describe('kitt kubeconfig', () => {
  let repo: TempRepo;
  let log: string;
  beforeEach(() => {
    repo = new TempRepo('kitt-kubeconfig-').copyExampleFlags().write({ 'aws-calls.log': '' });
    log = path.join(repo.root, 'aws-calls.log');
  });
  afterEach(() => repo.dispose());

  /** `kitt kubeconfig ...` with the stand-in aws printing `output` (default: the test CA). */
  const kubeconfig = (args: readonly string[], env: Record<string, string> = {}) =>
    runKittIn(['kubeconfig', ...args], {
      cwd: repo.root,
      env: {
        PATH: process.env.PATH,
        KITT_AWS: STAND_IN_AWS,
        STAND_IN_AWS_LOG: log,
        STAND_IN_AWS_OUTPUT: path.join(FIXTURES, 'ca.crt'),
        ...env,
      },
    });
  /** The argument vectors the stand-in aws was called with. */
  const awsCalls = () =>
    readFileSync(log, 'utf8')
      .split('--\n')
      .filter((call) => call !== '')
      .map((call) => call.split('\n').slice(0, -1));

  it("reads the cell's CA parameter through aws ssm get-parameter in the FLAG's region", async () => {
    const { code, stderr } = await kubeconfig([FLAG, 'a1']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(awsCalls()).toEqual([
      [
        'ssm',
        'get-parameter',
        '--name',
        '/kitt/payments-prod-us-east-1/a1/ca.crt',
        '--region',
        'us-east-1',
        '--query',
        'Parameter.Value',
        '--output',
        'text',
      ],
    ]);
  });

  it('prints a kubeconfig for the cell: its API name, the CA read, its cluster as context', async () => {
    const config = parse((await kubeconfig([FLAG, 'a1'])).stdout);
    expect(config['current-context']).toBe(CLUSTER);
    expect(config.clusters[0].cluster).toEqual({
      server: `https://${API}:6443`,
      'certificate-authority-data': Buffer.from(CA_PEM).toString('base64'),
    });
    expect(config.users[0].user.exec).toMatchObject({
      command: 'aws',
      args: ['eks', 'get-token', '--cluster-name', CLUSTER, '--region', 'us-east-1', '--output', 'json'],
    });
  });

  it('with --server and --role-arn, points at the tunnel, checks the API name, and assumes the role', async () => {
    const roleArn = 'arn:aws:iam::111111111111:role/payments-admins';
    const { stdout } = await kubeconfig([FLAG, 'a1', '--server', 'https://127.0.0.1:16443', '--role-arn', roleArn]);
    const config = parse(stdout);
    expect(config.clusters[0].cluster).toMatchObject({ server: 'https://127.0.0.1:16443', 'tls-server-name': API });
    expect(config.users[0].user.exec.args).toEqual([
      ...['eks', 'get-token', '--cluster-name', CLUSTER, '--region', 'us-east-1'],
      ...['--role-arn', roleArn, '--output', 'json'],
    ]);
  });

  it("with --tunnel, points at kitt tunnel's default local port and checks the API name", async () => {
    const { code, stdout } = await kubeconfig([FLAG, 'a1', '--tunnel']);
    expect(code).toBe(0);
    expect(parse(stdout).clusters[0].cluster).toMatchObject({
      server: 'https://127.0.0.1:16443',
      'tls-server-name': API,
    });
  });

  it('refuses --tunnel with --server as a usage error', async () => {
    const { code, stderr } = await kubeconfig([FLAG, 'a1', '--tunnel', '--server', 'https://127.0.0.1:1']);
    expect(code).toBe(2);
    expect(stderr).toContain('--tunnel and --server both say where the API is');
  });

  it('with --ca-file, makes no aws call', async () => {
    repo.write({ 'ca.pem': CA_PEM });
    const { code, stdout } = await kubeconfig([FLAG, 'a1', '--ca-file', 'ca.pem'], { KITT_AWS: '/nonexistent/aws' });
    expect(code).toBe(0);
    expect(parse(stdout).clusters[0].cluster['certificate-authority-data']).toBe(
      Buffer.from(CA_PEM).toString('base64'),
    );
    expect(awsCalls()).toEqual([]);
  });

  it('fails with AWS_CLI_FAILED, exit 1 and the CLI’s stderr when aws fails', async () => {
    const { code, stdout, stderr } = await kubeconfig([FLAG, 'a1'], { STAND_IN_AWS_FAIL: 'no such parameter' });
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toMatch(/^✗ kitt kubeconfig: .*ParameterNotFound.*no such parameter \[AWS_CLI_FAILED\]\n$/s);
  });

  it("caps the aws CLI's stderr in the message", async () => {
    const { stderr } = await kubeconfig([FLAG, 'a1'], { STAND_IN_AWS_FAIL: 'x'.repeat(5000) });
    expect(stderr).toMatch(/x{100}… \(\d+ more characters\) \[AWS_CLI_FAILED\]\n$/);
    expect(stderr.length).toBeLessThan(2600);
  });

  it('fails with AWS_CLI_NOT_FOUND when there is no aws executable', async () => {
    const { code, stderr } = await kubeconfig([FLAG, 'a1'], { KITT_AWS: path.join(repo.root, 'no-aws') });
    expect(code).toBe(1);
    expect(stderr).toContain('[AWS_CLI_NOT_FOUND]');
  });

  it('fails with KUBECONFIG_CA_INVALID when the parameter holds no certificate', async () => {
    repo.write({ 'none.txt': 'None\n' });
    const { code, stderr } = await kubeconfig([FLAG, 'a1'], { STAND_IN_AWS_OUTPUT: path.join(repo.root, 'none.txt') });
    expect(code).toBe(1);
    expect(stderr).toContain('SSM parameter /kitt/payments-prod-us-east-1/a1/ca.crt (us-east-1) is not a CA');
    expect(stderr).toContain('[KUBECONFIG_CA_INVALID]');
  });

  it('refuses a cell the FLAG does not have, naming its flag.yaml, before any aws call', async () => {
    const { code, stderr } = await kubeconfig([FLAG, 'z9']);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `✗ kitt kubeconfig: ${FLAG}/flag.yaml has no cell 'z9' (its cells: a1, b1, c1) [KUBECONFIG_CELL_UNKNOWN]\n`,
    );
    expect(awsCalls()).toEqual([]);
  });

  it('refuses an org.yaml without a domain', async () => {
    repo.edit('flags/org.yaml', 'domain: kitt.example.com\n', '');
    const { code, stderr } = await kubeconfig([FLAG, 'a1']);
    expect(code).toBe(1);
    expect(stderr).toContain('flags/org.yaml has no domain');
    expect(stderr).toContain('[KUBECONFIG_DOMAIN_MISSING]');
  });

  it('refuses an unreadable --ca-file with KUBECONFIG_CA_FILE_UNREADABLE', async () => {
    const { code, stderr } = await kubeconfig([FLAG, 'a1', '--ca-file', 'missing.pem']);
    expect(code).toBe(1);
    expect(stderr).toContain('[KUBECONFIG_CA_FILE_UNREADABLE]');
  });

  it('with --out, writes the kubeconfig with mode 0600 and prints only where', async () => {
    const { code, stdout } = await kubeconfig([FLAG, 'a1', '--out', 'kubeconfig.yaml']);
    const file = path.join(repo.root, 'kubeconfig.yaml');
    expect(code).toBe(0);
    expect(stdout).toBe(`✓ kitt kubeconfig: kubeconfig.yaml (cluster ${CLUSTER})\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(parse(readFileSync(file, 'utf8'))['current-context']).toBe(CLUSTER);
  });

  it('with --out, refuses to overwrite an existing file and leaves it as it was', async () => {
    writeFileSync(path.join(repo.root, 'kubeconfig.yaml'), 'mine\n');
    const { code, stderr } = await kubeconfig([FLAG, 'a1', '--out', 'kubeconfig.yaml']);
    expect(code).toBe(1);
    expect(stderr).toContain('[KUBECONFIG_OUT_EXISTS]');
    expect(readFileSync(path.join(repo.root, 'kubeconfig.yaml'), 'utf8')).toBe('mine\n');
  });

  it('with --out in a missing directory, fails with KUBECONFIG_OUT_UNWRITABLE and writes nothing', async () => {
    const { code, stderr } = await kubeconfig([FLAG, 'a1', '--out', 'no/such/dir/kubeconfig']);
    expect(code).toBe(1);
    expect(stderr).toContain('[KUBECONFIG_OUT_UNWRITABLE]');
    expect(existsSync(path.join(repo.root, 'no'))).toBe(false);
  });

  it('refuses a bad --server before any aws call', async () => {
    const { code, stderr } = await kubeconfig([FLAG, 'a1', '--server', 'http://127.0.0.1:16443']);
    expect(code).toBe(1);
    expect(stderr).toContain('[KUBECONFIG_SERVER_INVALID]');
    expect(awsCalls()).toEqual([]);
  });
});
