import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestRepo } from '../../affected/__fixtures__/test-repo';
import { findAffected } from '../../affected/find-affected';
import type { StackResult } from '../../plan/record';
import {
  FIXTURES,
  REPO_FLAG,
  STAND_IN_TERRAFORM,
  standInRepo,
  type StandInWorkspace,
} from '../../terraform/__fixtures__/stand-in';
import { StandInAws } from '../../cluster-access/__fixtures__/stand-in-aws';
import type { CommandContext } from '../command';
import { optionArgs, runKittIn } from '../__fixtures__/run-kitt';

// The synthesized stacks use the S3 backend and the aws provider: only the stand-in may run here, never the real
// terraform (KITT_TERRAFORM names the stand-in by path).
const FLAG_STACK = `${REPO_FLAG.id}-flag`;

let ws: StandInWorkspace;
beforeEach(() => {
  ws = standInRepo();
});
afterEach(() => rmSync(ws.root, { recursive: true, force: true }));

function kittPlan(
  values: Record<string, string | boolean | undefined>,
  positionals: string[],
  env: CommandContext['env'] = { ...ws.env, KITT_TERRAFORM: STAND_IN_TERRAFORM },
  cwd = ws.root,
) {
  return runKittIn(['plan', ...optionArgs(values), ...positionals], { cwd, env });
}

function summaryOf(stack: string): StackResult {
  return JSON.parse(
    readFileSync(join(ws.root, 'out/plans', REPO_FLAG.id, stack, 'summary.json'), 'utf8'),
  ) as StackResult;
}

/** An environment where neither `terraform` nor `KITT_TERRAFORM` resolves. */
function envWithoutTerraform() {
  const emptyBin = join(ws.root, 'empty-bin');
  mkdirSync(emptyBin);
  return { ...ws.env, PATH: emptyBin };
}

it('synthesizes the FLAG, plans its stacks with the binary KITT_TERRAFORM names, and exits 0 with changes', async () => {
  ws.scenario({ '*': { plan: 2, planJson: 'flag-create.json' } });
  const { code, stdout, stderr } = await kittPlan({}, [REPO_FLAG.dir]);
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  expect(stdout).toContain(`✓ ${FLAG_STACK}: changes: +3 ~0 -0 ±0\n`);
  expect(existsSync(join(ws.root, 'cdktf.out', REPO_FLAG.id, 'stacks', FLAG_STACK, 'cdk.tf.json'))).toBe(true);
  expect(readdirSync(join(ws.root, 'out/plans', REPO_FLAG.id, FLAG_STACK)).sort()).toEqual([
    'plan.json',
    'summary.json',
    'tfplan',
  ]);
  expect(ws.calls()[0]?.cwd).toBe(join(ws.root, 'cdktf.out', REPO_FLAG.id, 'stacks', FLAG_STACK));
});

it("plans a FLAG's flag stack and has its cell stacks wait for it while it has changes, saying why", async () => {
  ws.scenario({ '*': { plan: 2, planJson: 'flag-create.json' } });
  const cellStack = `${REPO_FLAG.id}-cell-a1`;
  const { code, stdout } = await kittPlan({}, [REPO_FLAG.dir]);
  expect(code).toBe(0);
  expect(summaryOf(cellStack)).toMatchObject({ status: 'waits', waitsFor: FLAG_STACK });
  expect(summaryOf(cellStack).previewResources).toContain('aws_autoscaling_group.asg-worker');
  expect(stdout).toMatch(new RegExp(`⏸ ${cellStack}: waits for ${FLAG_STACK} \\(\\d+ resource\\(s\\) in its config`));
  expect(ws.calls().filter((call) => call.cwd.endsWith(cellStack))).toEqual([]);
});

it('exits 1 and prints terraform’s error text when a stack fails to plan', async () => {
  ws.scenario({ '*': { plan: 1, stderr: 'Error: AccessDenied: not authorized to perform: s3:GetObject' } });
  const { code, stdout, stderr } = await kittPlan({}, [REPO_FLAG.dir]);
  expect(code).toBe(1);
  expect(stdout).toContain(`✗ ${FLAG_STACK}: error\n`);
  expect(stderr).toContain('AccessDenied: not authorized to perform: s3:GetObject');
  expect(summaryOf(FLAG_STACK).error).toContain('AccessDenied');
});

it('writes --out, --synth-out, head, base and the run id where asked', async () => {
  ws.scenario({ '*': { plan: 0, planJson: 'no-changes.json' } });
  // With no changes anywhere, the addons stacks are planned too: through the stand-in aws's tunnels.
  const aws = new StandInAws();
  const env = { ...ws.env, KITT_TERRAFORM: STAND_IN_TERRAFORM, GITHUB_RUN_ID: '987', ...aws.env() };
  const values = { out: 'plans-here', 'synth-out': 'synth-here', head: 'c'.repeat(40), base: 'd'.repeat(40) };
  const { code, stdout } = await kittPlan(values, [REPO_FLAG.dir], env).finally(() => aws.dispose());
  expect(code).toBe(0);
  expect(stdout).toContain(`✓ ${FLAG_STACK}: no changes\n`);
  const summary = JSON.parse(
    readFileSync(join(ws.root, 'plans-here', REPO_FLAG.id, FLAG_STACK, 'summary.json'), 'utf8'),
  );
  expect(summary).toMatchObject({
    status: 'no-changes',
    headSha: 'c'.repeat(40),
    baseSha: 'd'.repeat(40),
    runId: '987',
  });
  expect(existsSync(join(ws.root, 'synth-here', REPO_FLAG.id, 'manifest.json'))).toBe(true);
});

it('without terraform and without --preview exits 1, says to install it or use --preview, and synthesizes nothing', async () => {
  const { code, stderr } = await kittPlan({}, [REPO_FLAG.dir], envWithoutTerraform());
  expect(code).toBe(1);
  expect(stderr).toContain("'terraform' is not installed or not on PATH");
  expect(stderr).toContain('kitt plan --preview');
  expect(existsSync(join(ws.root, 'cdktf.out'))).toBe(false);
});

it('with --preview and no terraform: synthesizes, lists config resources as not a plan, says what it skipped, exits 0', async () => {
  const { code, stdout } = await kittPlan({ preview: true }, [REPO_FLAG.dir], envWithoutTerraform());
  expect(code).toBe(0);
  expect(stdout).toMatch(
    new RegExp(`⏸ ${FLAG_STACK}: preview \\(\\d+ resource\\(s\\) in its config, not a Terraform plan\\)`),
  );
  expect(stdout).toContain('terraform init, plan and show were NOT run');
  const summary = summaryOf(FLAG_STACK) as StackResult & { preview?: { skipped: string } };
  expect(summary.preview?.skipped).toContain('not a Terraform plan');
  expect(summary.previewResources).toContain('aws_vpc.vpc');
  expect(ws.calls()).toEqual([]);
});

it('is a usage error without FLAG directories or --affected', async () => {
  const { code, stderr } = await kittPlan({}, []);
  expect(code).toBe(2);
  expect(stderr).toContain('name FLAG directories, or use --affected');
});

describe('--affected --stacks-file', () => {
  function stacksFile(stacks: unknown): string {
    const file = join(ws.root, 'affected.json');
    writeFileSync(file, JSON.stringify({ base: 'b'.repeat(40), head: null, stacks }));
    return 'affected.json';
  }
  const listed = (flag: string, reason: string) => ({
    flag,
    flagDir: `flags/${flag.split('-').slice(0, 2).join('/')}/${flag.split('-').slice(2).join('-')}`,
    stack: `${flag}-flag`,
    layer: 'flag',
    dependsOn: [],
    reason,
  });

  it('plans only the stacks kitt affected lists for the FLAG directories named', async () => {
    ws.scenario({ '*': { plan: 2, planJson: 'flag-create.json' } });
    const file = stacksFile([listed(REPO_FLAG.id, 'config-changed'), listed('search-prod-us-west-2', 'new')]);
    const { code, stdout } = await kittPlan({ affected: true, 'stacks-file': file }, [REPO_FLAG.dir]);
    expect(code).toBe(0);
    expect(stdout).toContain('planning 1 stack(s)');
    expect(ws.calls().map((c) => c.args[0])).toEqual(['init', 'plan', 'show']);
    expect(existsSync(join(ws.root, 'out/plans/search-prod-us-west-2'))).toBe(false);
  });

  it('attaches the network diagram and capacity of a new FLAG to its flag stack summary', async () => {
    ws.scenario({ '*': { plan: 2, planJson: 'flag-create.json' } });
    const file = stacksFile([listed(REPO_FLAG.id, 'new')]);
    const { code } = await kittPlan({ affected: true, 'stacks-file': file }, []);
    expect(code).toBe(0);
    const { networkDiagram } = summaryOf(FLAG_STACK);
    expect(networkDiagram?.mermaid).toMatch(/^flowchart/);
    expect(networkDiagram?.capacityTable).toContain('| figure | value | formula | binding |');
  });

  it('attaches no network diagram to a FLAG that already exists', async () => {
    ws.scenario({ '*': { plan: 2, planJson: 'flag-create.json' } });
    const file = stacksFile([listed(REPO_FLAG.id, 'config-changed')]);
    await kittPlan({ affected: true, 'stacks-file': file }, []);
    expect(summaryOf(FLAG_STACK).networkDiagram).toBeUndefined();
  });

  it('records a removed stack it cannot synthesize at base as an error, with the reason, and exits 1', async () => {
    ws.scenario({ '*': { plan: 0, planJson: 'no-changes.json' } });
    const file = stacksFile([listed('payments-old-eu-west-2', 'removed')]); // ws.root is no git repository
    const { code, stdout, stderr } = await kittPlan({ affected: true, 'stacks-file': file }, []);
    expect(code).toBe(1);
    expect(stdout).toContain('✗ payments-old-eu-west-2-flag (removed, destroy): error\n');
    expect(stderr).toContain(`cannot synthesize flags/payments/old/eu-west-2 at base ${'b'.repeat(40)}`);
    const summary = JSON.parse(
      readFileSync(join(ws.root, 'out/plans/payments-old-eu-west-2/payments-old-eu-west-2-flag/summary.json'), 'utf8'),
    );
    expect(summary).toMatchObject({ status: 'error', layer: 'flag' });
    expect(ws.calls()).toEqual([]);
  });

  it('refuses removed stacks when no base commit is known, before writing anything, and exits 1', async () => {
    writeFileSync(
      join(ws.root, 'affected.json'),
      JSON.stringify([listed(REPO_FLAG.id, 'config-changed'), listed('payments-old-eu-west-2', 'removed')]),
    );
    const { code, stderr } = await kittPlan({ affected: true, 'stacks-file': 'affected.json' }, []);
    expect(code).toBe(1);
    expect(stderr).toContain('no base commit is known');
    expect(stderr).toContain('[PLAN_BASE_COMMIT_MISSING]');
    expect(existsSync(join(ws.root, 'out'))).toBe(false);
    expect(existsSync(join(ws.root, 'cdktf.out'))).toBe(false);
  });

  it('refuses a stacks file with a bad entry as input, naming the field', async () => {
    const file = stacksFile([{ ...listed(REPO_FLAG.id, 'config-changed'), reason: 'because' }]);
    const { code, stderr } = await kittPlan({ affected: true, 'stacks-file': file }, []);
    expect(code).toBe(1);
    expect(stderr).toMatch(/stacks\[0\]\.reason: .*received: "because".*\[STACKS_FILE_INVALID\]/);
    expect(existsSync(join(ws.root, 'out'))).toBe(false);
  });
});

describe('--affected with a FLAG removed, on a real git repository', () => {
  // Base has the real payments FLAG and a FLAG beta (synthesized at base by the stand-in `kitt synth` of
  // affected/__fixtures__/mini-repo); head removes beta and changes payments' VPC.
  const BETA = 'beta-dev-eu-west-1';
  let repo: TestRepo;
  beforeEach(() => {
    repo = TestRepo.create();
    repo.write({
      'flags/org.yaml': readFileSync(join(FIXTURES, 'repo', 'org.yaml'), 'utf8'),
      [`${REPO_FLAG.dir}/flag.yaml`]: readFileSync(join(FIXTURES, 'repo', `${REPO_FLAG.id}.flag.yaml`), 'utf8'),
    });
    repo.writeFlag({
      customer: 'beta',
      environment: 'dev',
      region: 'eu-west-1',
      accountId: '222222222222',
      vpcCidr: '10.2.0.0/16',
    });
    repo.commit('base');
  });
  afterEach(() => repo.dispose());

  it('plans the destroys of the removed stacks from base, after the others, addons first, and records every delete', async () => {
    const base = repo.git('rev-parse', 'HEAD');
    repo.remove('flags/beta');
    repo.edit(`${REPO_FLAG.dir}/flag.yaml`, 'vpcCidr: 10.1.0.0/16', 'vpcCidr: 10.5.0.0/16');
    const head = repo.commit('remove beta, move payments');
    const report = await findAffected({ cwd: repo.root, base, head, detector: 'paths' });
    // The stand-in `kitt synth` that compared the commits gives payments cells; the real layer that `kitt plan`
    // synthesizes head with makes only its flag stack so far, so the file keeps that one besides beta's.
    const stacks = report.stacks.filter((s) => s.flag === BETA || s.layer === 'flag');
    expect(stacks.map((s) => [s.stack, s.reason])).toEqual([
      [`${BETA}-flag`, 'removed'],
      [`${BETA}-cell-a1`, 'removed'],
      [`${BETA}-addons-a1`, 'removed'],
      [`${REPO_FLAG.id}-flag`, 'config-changed'],
    ]);
    writeFileSync(join(repo.root, 'affected.json'), JSON.stringify({ ...report, stacks }));
    const betaStacks = [`${BETA}-addons-a1`, `${BETA}-cell-a1`, `${BETA}-flag`];
    ws.scenario({
      '*': { plan: 0, planJson: 'no-changes.json' },
      ...Object.fromEntries(betaStacks.map((s) => [s, { plan: 2, planJson: 'destroy.json' }])),
    });

    const aws = new StandInAws();
    const { code, stdout, stderr } = await kittPlan(
      { affected: true, 'stacks-file': 'affected.json' },
      [],
      { ...ws.env, KITT_TERRAFORM: STAND_IN_TERRAFORM, ...aws.env() },
      repo.root,
    ).finally(() => aws.dispose());

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    // The removed addons stack's destroy is planned through a tunnel to its cell's API, closed after.
    const addonsPlan = ws.calls().find((c) => c.args[0] === 'plan' && c.cwd.endsWith(`${BETA}-addons-a1`));
    const host = addonsPlan?.args[addonsPlan.args.indexOf('-var') + 1];
    expect(host).toMatch(/^kube_api_host=https:\/\/127\.0\.0\.1:\d+$/);
    expect(stdout).toContain(`  tunnel to cell a1 of ${BETA} through i-0123456789abcdef0: ${host?.split('=')[1]}\n`);
    expect(
      ws
        .calls()
        .filter((c) => c.args[0] === 'plan')
        .map((c) => [c.cwd, c.args.includes('-destroy')]),
    ).toEqual([
      [join(repo.root, 'cdktf.out', REPO_FLAG.id, 'stacks', `${REPO_FLAG.id}-flag`), false],
      ...betaStacks.map((stack) => [join(repo.root, 'cdktf.out', '.base', BETA, 'stacks', stack), true]),
    ]);
    expect(stdout).toContain(`✓ ${BETA}-flag (removed, destroy): changes: +0 ~0 -2 ±0\n`);
    for (const stack of betaStacks) {
      const summary = JSON.parse(
        readFileSync(join(repo.root, 'out/plans', BETA, stack, 'summary.json'), 'utf8'),
      ) as StackResult;
      expect(summary.summary?.resources.map((r) => r.action)).toEqual(['delete', 'delete']);
    }
    expect(repo.git('worktree', 'list').split('\n')).toHaveLength(1);
  });
});
