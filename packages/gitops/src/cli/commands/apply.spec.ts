import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApplyJourney, KITT, STACKS } from '../../apply/__fixtures__/journey';
import { FakeKubeApi } from '../../cluster-access/__fixtures__/fake-kube-api';
import { StandInAws } from '../../cluster-access/__fixtures__/stand-in-aws';
import { makePki } from '../../cluster-access/__fixtures__/tls';
import { runKittIn } from '../__fixtures__/run-kitt';
import type { CommandLoaders } from '../registry';
import { createApplyCommand } from './apply';

let journey: ApplyJourney;
afterEach(async () => journey?.close());

function loaders(): CommandLoaders {
  const command = createApplyCommand({
    createClient: () => journey.github.client(),
    stackSource: () => journey.stackSource(),
  });
  return [{ name: 'apply', summary: 'apply', load: () => command }];
}

function kittApply(args: string[], env: Record<string, string | undefined> = {}) {
  return runKittIn(['apply', ...args], {
    cwd: journey.repoDir,
    env: {
      ...journey.env,
      GITHUB_TOKEN: 'test-token',
      GITHUB_REPOSITORY: 'acme/infra',
      GITHUB_API_URL: journey.github.baseUrl,
      GITHUB_SHA: journey.git('rev-parse', 'HEAD'),
      KITT_COMMENT_AUTHOR: KITT.login,
      ...env,
    },
    loaders: loaders(),
  });
}

async function mergedChange(approve: boolean): Promise<void> {
  journey = await ApplyJourney.start();
  journey.git('checkout', '--quiet', '-b', 'grow');
  journey.editFlag((doc) => {
    const a1 = doc.cells?.[0];
    if (a1) a1.nodes = 5;
  });
  journey.commit('Grow cell a1');
  await journey.planAndRecord(7);
  if (approve) journey.approve(7);
  journey.merge(7, 'grow');
}

/** A stand-in aws whose tunnels lead to a fake API, up, serving the named cells, with its CA in the SSM parameter. */
async function cellsUp(
  cells: readonly string[] = ['a1'],
): Promise<{ env: Record<string, string | undefined>; close(): Promise<void> }> {
  const pki = makePki(cells.map((cell) => `api.${cell}.payments-dev-eu-west-2.kitt.example.com`));
  const aws = new StandInAws();
  writeFileSync(join(aws.dir, 'ca.crt'), pki.caPem);
  const api = await new FakeKubeApi('unused').start(pki);
  return {
    env: aws.env({ STAND_IN_AWS_FORWARD_TO: new URL(api.url).port, STAND_IN_AWS_PARAMETER: join(aws.dir, 'ca.crt') }),
    close: async () => {
      await api.close();
      aws.dispose();
    },
  };
}

it('applies the merged pull request of GITHUB_SHA, a line per stack, and exits 0', async () => {
  await mergedChange(true);
  const cell = await cellsUp();
  const { code, stdout, stderr } = await kittApply(['--flag', 'flags/payments/dev/eu-west-2'], cell.env).finally(() =>
    cell.close(),
  );
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  expect(stdout).toContain(`= ${STACKS.flag}: no changes\n`);
  expect(stdout).toContain(`✓ ${STACKS.cellA1}: applied\n`);
  // The addons of the cell just applied are planned once its API is ready, through a tunnel.
  expect(stdout).toMatch(
    new RegExp(
      `  tunnel to cell a1 of payments-dev-eu-west-2 through i-0123456789abcdef0: https://127\\.0\\.0\\.1:\\d+\\n= ${STACKS.addonsA1}: no changes\\n`,
    ),
  );
  expect(stdout).toMatch(/✓ apply record posted on #7: https:\/\/github.com\/acme\/infra\/pull\/7#issuecomment-\d+\n$/);
});

it('exits 1 with the guard’s coded reasons when it refuses, and runs no terraform', async () => {
  await mergedChange(false);
  const { code, stderr } = await kittApply([]);
  expect(code).toBe(1);
  expect(stderr).toContain('✗ kitt apply: the apply guard refused: nothing was planned or applied.');
  expect(stderr).toContain('[APPLY_NOT_APPROVED]');
  expect(journey.calls()).toEqual([]);
});

it.each([
  [['--flag', 'flags/payments'], '--flag must be a FLAG directory'],
  [['--commit', 'main'], '--commit must be a full commit SHA'],
  [['--pr', 'seven'], '--pr must be a pull request number'],
])('refuses %j as a usage error (exit 2)', async (args, message) => {
  journey = await ApplyJourney.start();
  const { code, stderr } = await kittApply(args);
  expect(code).toBe(2);
  expect(stderr).toContain(message);
});

it('names every missing GitHub variable, and asks GitHub nothing', async () => {
  journey = await ApplyJourney.start();
  const { code, stderr } = await kittApply([], { GITHUB_TOKEN: undefined, GITHUB_REPOSITORY: 'not a repo' });
  expect(code).toBe(1);
  expect(stderr).toContain('GITHUB_TOKEN is not set');
  expect(stderr).toContain("GITHUB_REPOSITORY must be owner/repo, got 'not a repo'");
  expect(stderr).toContain('[GITHUB_ENVIRONMENT_INVALID]');
  expect(journey.github.requests).toEqual([]);
});

it.each([
  [['--approve', '--pr', '7'], '--approve needs --pr N and --record <comment id>'],
  [['--record', '12'], '--record goes with --approve'],
  [['--approve', '--pr', '7', '--record', 'x'], "--record must be a comment id, got 'x'"],
])('refuses %j with --approve’s usage error (exit 2)', async (args, message) => {
  journey = await ApplyJourney.start();
  const { code, stderr } = await kittApply(args);
  expect(code).toBe(2);
  expect(stderr).toContain(message);
});

it('approves a follow-up record as GITHUB_ACTOR in a workflow_dispatch run, and applies it', async () => {
  journey = await ApplyJourney.start();
  journey.setApprovers(['carol']);
  journey.git('checkout', '--quiet', '-b', 'add-b1');
  journey.editFlag((doc) => doc.cells?.push({ name: 'b1', zone: 'eu-west-2b', slot: 1 }));
  journey.commit('Add cell b1');
  await journey.planAndRecord(7);
  journey.approve(7);
  journey.merge(7, 'add-b1');
  const [followUp] = (await journey.applyAsRun({ flagId: 'payments-dev-eu-west-2' })).followUps;
  journey.actions.addRun({
    id: 777,
    headSha: journey.git('rev-parse', 'HEAD'),
    path: '.github/workflows/apply.yml',
    event: 'workflow_dispatch',
  });

  const approve = ['--approve', '--pr', '7', '--record', String(followUp), '--flag', 'flags/payments/dev/eu-west-2'];
  const cells = await cellsUp(['a1', 'b1']);
  const { code, stdout, stderr } = await kittApply(approve, {
    ...cells.env,
    GITHUB_ACTOR: 'carol',
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    GITHUB_RUN_ID: '777',
  }).finally(() => cells.close());

  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  expect(stdout).toContain(`✓ ${STACKS.addonsB1}: applied\n`);
  expect(stdout).toMatch(/✓ apply record posted on #7: https:\/\/github.com\/acme\/infra\/pull\/7#issuecomment-\d+\n$/);
});

it('prints the matrix of one FLAG for a run started by hand', async () => {
  journey = await ApplyJourney.start();
  const { code, stdout } = await kittApply(['--matrix-flag', 'flags/payments/dev/eu-west-2']);
  expect(code).toBe(0);
  expect(JSON.parse(stdout).include.map((j: { name: string; environment: string }) => [j.name, j.environment])).toEqual(
    [['payments-dev-eu-west-2', 'development']],
  );
});
