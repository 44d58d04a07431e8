/**
 * `kitt apply --approve`: a listed approver (never the pull request's author) applies what a follow-up record
 * shows, in a workflow_dispatch run, through the same fingerprint check; every refusal touches nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { STRANGER } from '../github/__fixtures__/fake-github';
import { ApplyJourney, AUTHOR, FLAG_ID, REVIEWER, STACKS } from './__fixtures__/journey';
import { ApplyError } from './errors';

let journey: ApplyJourney;
afterEach(async () => journey?.close());

const PR = 7;
const APPROVER = 'carol';

/** Merges a new cell b1 and applies it: its addons waited on it, so their plan is posted for approval. */
async function followUpOfNewCell(): Promise<number> {
  journey = await ApplyJourney.start();
  journey.setApprovers([APPROVER, AUTHOR.login]);
  journey.git('checkout', '--quiet', '-b', 'add-b1');
  journey.editFlag((doc) => doc.cells?.push({ name: 'b1', zone: 'eu-west-2b', slot: 1 }));
  journey.commit('Add cell b1');
  await journey.planAndRecord(PR);
  journey.approve(PR);
  journey.merge(PR, 'add-b1');
  const outcome = await journey.applyAsRun({ flagId: FLAG_ID });
  expect(outcome.results.find((r) => r.stack === STACKS.addonsB1)?.outcome).toBe('needs-approval');
  expect(journey.appliedStacks()).toEqual([STACKS.cellB1]);
  return outcome.followUps[0] as number;
}

async function refusal(run: Promise<unknown>): Promise<ApplyError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApplyError);
  return error as ApplyError;
}

function appliesSince(before: number): string[] {
  return journey.appliedStacks().slice(before);
}

it('applies the follow-up record’s plan when an approver approves it, after which main plans no changes', async () => {
  const followUp = await followUpOfNewCell();

  const outcome = await journey.approveFollowUp(PR, followUp, APPROVER);

  expect(appliesSince(1)).toEqual([STACKS.addonsB1]);
  expect(outcome.results.find((r) => r.stack === STACKS.addonsB1)?.outcome).toBe('applied');
  const record = journey.github.commentsOn(PR).at(-1)?.body ?? '';
  expect(record).toContain(`result=applied`);
  expect(record).toContain(`Applies the plan approved by @${APPROVER} (follow-up record <code>${followUp}</code>)`);
  const after = await journey.plan({ head: journey.git('rev-parse', 'HEAD') });
  expect(after.every((r) => r.status === 'no-changes')).toBe(true);
});

it('refuses the pull request’s author, even when listed as an approver', async () => {
  const followUp = await followUpOfNewCell();
  const error = await refusal(journey.approveFollowUp(PR, followUp, AUTHOR.login));
  expect(error.code).toBe('APPLY_APPROVER_NOT_ALLOWED');
  expect(error.message).toContain(`${AUTHOR.login} is the author of #${PR}`);
  expect(appliesSince(1)).toEqual([]);
});

it('refuses an actor flags/org.yaml does not list, and a re-run by one', async () => {
  const followUp = await followUpOfNewCell();
  const error = await refusal(journey.approveFollowUp(PR, followUp, REVIEWER.login));
  expect(error.code).toBe('APPLY_APPROVER_NOT_ALLOWED');
  expect(error.message).toContain(`${REVIEWER.login} is not listed in flags/org.yaml environments.dev.approvers`);
  const rerun = await refusal(
    journey.approveFollowUp(PR, followUp, APPROVER, {
      env: {
        ...journey.env,
        GITHUB_ACTOR: APPROVER,
        GITHUB_TRIGGERING_ACTOR: STRANGER.login,
        GITHUB_EVENT_NAME: 'workflow_dispatch',
      },
    }),
  );
  expect(rerun.message).toContain(`${STRANGER.login} is not listed`);
  expect(appliesSince(1)).toEqual([]);
});

it('refuses outside a workflow_dispatch run', async () => {
  const followUp = await followUpOfNewCell();
  const error = await refusal(
    journey.approveFollowUp(PR, followUp, APPROVER, {
      env: { ...journey.env, GITHUB_ACTOR: APPROVER, GITHUB_EVENT_NAME: 'push' },
    }),
  );
  expect(error.message).toContain("only in a workflow_dispatch run, not on 'push'");
  expect(appliesSince(1)).toEqual([]);
});

it('refuses a look-alike follow-up record from another author', async () => {
  const followUp = await followUpOfNewCell();
  const copy = journey.github.commentsOn(PR).find((c) => c.id === followUp)?.body as string;
  const [lookAlike] = journey.github.seed(PR, [copy], STRANGER);
  const error = await refusal(journey.approveFollowUp(PR, lookAlike?.id as number, APPROVER));
  expect(error.code).toBe('APPLY_FOLLOW_UP_UNTRUSTED');
  expect(error.message).toContain("was not written by kitt's identity");
  expect(appliesSince(1)).toEqual([]);
});

it('refuses a follow-up record that names a run other than an apply run on main', async () => {
  const followUp = await followUpOfNewCell();
  const body = journey.github.commentsOn(PR).find((c) => c.id === followUp)?.body as string;
  const runId = /"runId":"(\d+)"/.exec(body)?.[1];
  journey.actions.addRun({ id: Number(runId), headSha: journey.git('rev-parse', 'HEAD'), headBranch: 'evil' });
  const error = await refusal(journey.approveFollowUp(PR, followUp, APPROVER));
  expect(error.code).toBe('APPLY_FOLLOW_UP_UNTRUSTED');
  expect(error.message).toContain(`run ${runId} is of '.github/workflows/plan.yml'`);
  expect(error.message).toContain(`run ${runId} ran on branch 'evil'`);
  expect(appliesSince(1)).toEqual([]);
});

it('refuses a follow-up record edited after it was posted', async () => {
  const followUp = await followUpOfNewCell();
  const body = journey.github.commentsOn(PR).find((c) => c.id === followUp)?.body as string;
  await journey.github.client().rest.issues.updateComment({ owner: 'acme', repo: 'infra', comment_id: followUp, body });
  const error = await refusal(journey.approveFollowUp(PR, followUp, APPROVER));
  expect(error.message).toContain(`comment ${followUp} was edited after it was posted`);
  expect(appliesSince(1)).toEqual([]);
});

it('refuses an older follow-up record once a newer one of its FLAG was posted', async () => {
  const older = await followUpOfNewCell();
  await journey.applyAsRun({ pr: PR }); // a re-run posts the plan for approval again
  const error = await refusal(journey.approveFollowUp(PR, older, APPROVER));
  expect(error.message).toContain(`comment ${older} is superseded by the newer follow-up record`);
  expect(appliesSince(1)).toEqual([]);
});

it('does not apply a follow-up whose plan changed since (drift): the new plan goes for approval', async () => {
  const followUp = await followUpOfNewCell();
  const state = JSON.parse(readFileSync(journey.statePath(STACKS.cellB1), 'utf8'));
  state.resources['terraform_data.this'].input.slot = 2; // someone changed cell b1 by hand
  writeFileSync(journey.statePath(STACKS.cellB1), JSON.stringify(state));

  const outcome = await journey.approveFollowUp(PR, followUp, APPROVER);

  expect(appliesSince(1)).toEqual([]);
  expect(outcome.results.find((r) => r.stack === STACKS.cellB1)?.outcome).toBe('needs-approval');
  expect(outcome.results.find((r) => r.stack === STACKS.addonsB1)?.outcome).toBe('not-applied');
  expect(outcome.followUps).toHaveLength(1);
});

it('refuses a follow-up record of another FLAG than the job’s', async () => {
  const followUp = await followUpOfNewCell();
  const error = await refusal(journey.approveFollowUp(PR, followUp, APPROVER, { flagId: 'ads-prod-us-east-1' }));
  expect(error.code).toBe('APPLY_RECORD_NOT_APPLICABLE');
  expect(error.message).toContain(`the follow-up record is of ${FLAG_ID}, not of ads-prod-us-east-1`);
  expect(appliesSince(1)).toEqual([]);
});

it('refuses a follow-up record that disagrees with what its apply run recorded in its artifact', async () => {
  const followUp = await followUpOfNewCell();
  const body = journey.github.commentsOn(PR).find((c) => c.id === followUp)?.body as string;
  const fingerprint = /"fingerprint":"([0-9a-f]{64})"/.exec(body)?.[1] as string;
  // Written with kitt's own token, as anything that ever held it could: the artifact still tells.
  const { data } = await journey.github.client().rest.issues.createComment({
    owner: 'acme',
    repo: 'infra',
    issue_number: PR,
    body: body.replaceAll(fingerprint, 'e'.repeat(64)),
  });
  const error = await refusal(journey.approveFollowUp(PR, data.id, APPROVER));
  expect(error.code).toBe('APPLY_FOLLOW_UP_UNTRUSTED');
  expect(error.message).toContain(
    `the apply run's artifact does not record ${STACKS.addonsB1} as needing approval with the record's fingerprint`,
  );
  expect(appliesSince(1)).toEqual([]);
});

it('refuses a follow-up record whose apply run has no apply-record artifact', async () => {
  const followUp = await followUpOfNewCell();
  const body = journey.github.commentsOn(PR).find((c) => c.id === followUp)?.body as string;
  const runId = Number(/"runId":"(\d+)"/.exec(body)?.[1]);
  journey.actions.addRun({
    id: runId,
    headSha: journey.git('rev-parse', 'HEAD'),
    path: '.github/workflows/apply.yml',
    event: 'push',
  });
  journey.actions.removeArtifacts(runId);
  const error = await refusal(journey.approveFollowUp(PR, followUp, APPROVER));
  expect(error.message).toContain(`run ${runId} has no artifact apply-record-${FLAG_ID}`);
  expect(appliesSince(1)).toEqual([]);
});
