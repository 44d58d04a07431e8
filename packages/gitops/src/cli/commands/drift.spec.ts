import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApplyJourney, FLAG_ID, KITT, STACKS } from '../../apply/__fixtures__/journey';
import { FakeIssues } from '../../github/__fixtures__/fake-issues';
import { runKittIn } from '../__fixtures__/run-kitt';
import type { CommandLoaders } from '../registry';
import { createDriftCommand } from './drift';

let journey: ApplyJourney;
beforeEach(async () => {
  journey = await ApplyJourney.start();
});
afterEach(async () => journey.close());

function kittDrift(args: string[], env: Record<string, string | undefined> = {}) {
  const command = createDriftCommand({ createClient: () => journey.github.client() });
  const loaders: CommandLoaders = [{ name: 'drift', summary: 'drift', load: () => command }];
  return runKittIn(['drift', ...args], {
    cwd: journey.repoDir,
    env: {
      GITHUB_TOKEN: 'test-token',
      GITHUB_REPOSITORY: 'acme/infra',
      GITHUB_API_URL: journey.github.baseUrl,
      GITHUB_SHA: journey.git('rev-parse', 'HEAD'),
      KITT_COMMENT_AUTHOR: KITT.login,
      ...env,
    },
    loaders,
  });
}

it('prints one plan job per FLAG on main, with its plan role from flags/org.yaml', async () => {
  const { code, stdout } = await kittDrift(['--matrix']);
  expect(code).toBe(0);
  expect(JSON.parse(stdout)).toEqual({
    include: [
      {
        name: FLAG_ID,
        flagDirs: 'flags/payments/dev/eu-west-2',
        accountId: '222222222222',
        planRoleArn: 'arn:aws:iam::222222222222:role/kitt-plan',
        awsRegion: 'eu-west-2',
      },
    ],
  });
});

it('opens the issue of a drifted FLAG, says so on stdout and in the job summary, and exits 0', async () => {
  const issues = new FakeIssues(journey.github);
  const state = JSON.parse(readFileSync(journey.statePath(STACKS.flag), 'utf8'));
  state.resources['terraform_data.this'] = { input: 'changed in the console' };
  writeFileSync(journey.statePath(STACKS.flag), JSON.stringify(state));
  const plans = join(journey.root, 'plans');
  for (const r of await journey.plan({ head: journey.git('rev-parse', 'HEAD') })) {
    mkdirSync(join(plans, r.stack), { recursive: true });
    writeFileSync(join(plans, r.stack, 'summary.json'), JSON.stringify(r));
  }
  const summary = join(journey.root, 'step-summary.md');

  const { code, stdout, stderr } = await kittDrift(['--plans', plans], { GITHUB_STEP_SUMMARY: summary });

  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  const [issue] = issues.open();
  expect(stdout).toBe(`\`${FLAG_ID}\`: issue opened (https://github.com/acme/infra/issues/${issue?.number})\n`);
  expect(readFileSync(summary, 'utf8')).toContain(`### Drift\n\n- \`${FLAG_ID}\`: issue opened`);
});

it('exits 1 when a FLAG of main has no plan to judge', async () => {
  new FakeIssues(journey.github);
  const plans = join(journey.root, 'no-plans');
  mkdirSync(plans);
  const { code, stdout, stderr } = await kittDrift(['--plans', plans]);
  expect({ code, stderr }).toEqual({ code: 1, stderr: '' });
  expect(stdout).toContain(`\`${FLAG_ID}\`: no plan, not judged`);
});

it.each([
  [[], 'give --matrix, or --plans DIR'],
  [['--plans', 'p', '--since-days', 'soon'], "--since-days must be a number of days, got 'soon'"],
])('refuses %j as a usage error', async (args, message) => {
  const { code, stderr } = await kittDrift(args);
  expect(code).toBe(2);
  expect(stderr).toContain(message);
});
