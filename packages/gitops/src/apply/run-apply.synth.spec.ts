/**
 * The apply with kitt's own synthesis (the AWS stacks `kitt synth` writes, planned by `kitt plan`'s runner), the
 * stand-in terraform keeping their state: nothing test-made between flag.yaml and terraform.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_FLAG } from '../terraform/__fixtures__/stand-in';
import { runPlan } from '../terraform/run-plan';
import { ApplyJourney } from './__fixtures__/journey';

let journey: ApplyJourney;
afterEach(async () => journey?.close());

function planFlag(head: string, runId?: string) {
  return runPlan({
    repoDir: journey.repoDir,
    env: { ...journey.env, ...(runId ? { GITHUB_RUN_ID: runId } : {}) },
    stacks: { kind: 'flags', flagDirs: [REPO_FLAG.dir] },
    outDir: join(journey.root, 'kitt-plans'),
    synthOut: join(journey.root, 'kitt-synth'),
    head,
  });
}

it('applies the synthesized flag stack of a FLAG, after which kitt plan shows no changes', async () => {
  journey = await ApplyJourney.start();
  rmSync(journey.stateDir, { recursive: true, force: true }); // the FLAG's AWS stack exists nowhere yet
  journey.git('checkout', '--quiet', '-b', 'touch');
  const head = journey.commit('Plan the FLAG');
  const { results } = await journey.planAndRecord(7, {
    planner: async (sha, runId) => (await planFlag(sha, runId)).results,
  });
  expect(results.map((r) => [r.stack, r.status])).toEqual([
    [`${REPO_FLAG.id}-flag`, 'changes'],
    [`${REPO_FLAG.id}-cell-a1`, 'waits'],
    [`${REPO_FLAG.id}-addons-a1`, 'waits'],
  ]);
  journey.approve(7);
  journey.merge(7, 'touch');

  const outcome = await journey.apply({ stackSource: undefined });

  // The cell waited on its flag stack: planned now for the first time, it goes to the PR for approval; its addons wait on it.
  expect(outcome.results.map((r) => [r.stack, r.outcome])).toEqual([
    [`${REPO_FLAG.id}-flag`, 'applied'],
    [`${REPO_FLAG.id}-cell-a1`, 'needs-approval'],
    [`${REPO_FLAG.id}-addons-a1`, 'not-applied'],
  ]);
  const after = await planFlag(head);
  expect(after.results.map((r) => [r.stack, r.status])).toEqual([
    [`${REPO_FLAG.id}-flag`, 'no-changes'],
    [`${REPO_FLAG.id}-cell-a1`, 'changes'],
    [`${REPO_FLAG.id}-addons-a1`, 'waits'],
  ]);
});

it('synthesizes an earlier merge the run catches up at its own merge commit, with kitt synth in a worktree', async () => {
  journey = await ApplyJourney.start();
  rmSync(journey.stateDir, { recursive: true, force: true });
  const file = join(journey.repoDir, REPO_FLAG.dir, 'flag.yaml');
  const mergeNote = async (pr: number, note: string, change = (text: string) => text): Promise<string> => {
    journey.git('checkout', '--quiet', '-b', `note-${pr}`);
    writeFileSync(file, `${change(readFileSync(file, 'utf8'))}# ${note}\n`);
    journey.commit(note);
    await journey.planAndRecord(pr, { planner: async (sha, runId) => (await planFlag(sha, runId)).results });
    journey.approve(pr);
    return journey.merge(pr, `note-${pr}`);
  };
  const first = await mergeNote(7, 'first'); // its run was cancelled
  // The second adds a zone: synthesized from the tree checked out (the second's), the first's flag stack would
  // not plan what its pull request approved.
  await mergeNote(8, 'second', (text) => text.replace('eu-west-2b]', 'eu-west-2b, eu-west-2c]'));

  const outcome = await journey.apply({ stackSource: undefined, flagId: REPO_FLAG.id });

  expect(outcome.merges.map((m) => [m.commit, m.pr, m.result])).toEqual([
    [first, 7, 'waiting'],
    [journey.git('rev-parse', 'HEAD'), 8, 'waiting'],
  ]);
  expect(outcome.merges[0]?.results?.map((r) => [r.stack, r.outcome])).toEqual([
    [`${REPO_FLAG.id}-flag`, 'applied'],
    [`${REPO_FLAG.id}-cell-a1`, 'needs-approval'],
    [`${REPO_FLAG.id}-addons-a1`, 'not-applied'],
  ]);
  expect(journey.appliedStacks()).toEqual([`${REPO_FLAG.id}-flag`]);
});
