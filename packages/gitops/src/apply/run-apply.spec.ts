import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STRANGER } from '../github/__fixtures__/fake-github';
import { readPlanMetadata } from '../plan-markdown/render';
import { ApplyJourney, AUTHOR, FLAG_ID, STACKS, type FlagDoc } from './__fixtures__/journey';
import { ApplyError } from './errors';

let journey: ApplyJourney;
afterEach(async () => journey?.close());

const PR = 7;

function grow(doc: FlagDoc, cell = 'a1', nodes = 5): void {
  const found = doc.cells?.find((c) => c.name === cell);
  if (found) found.nodes = nodes;
}

/** A branch that changes cell a1, committed: the change, its head. */
async function branchChangingCell(): Promise<string> {
  journey.git('checkout', '--quiet', '-b', 'grow');
  journey.editFlag((doc) => grow(doc));
  return journey.commit('Grow cell a1');
}

async function refusal(run: Promise<unknown>): Promise<ApplyError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApplyError);
  return error as ApplyError;
}

function comments(pr = PR) {
  return journey.github.commentsOn(pr);
}

describe('the happy path', () => {
  it('applies exactly the approved stack, after which a plan of main shows no changes', async () => {
    journey = await ApplyJourney.start();
    await branchChangingCell();
    await journey.planAndRecord(PR);
    journey.approve(PR);
    journey.merge(PR, 'grow');

    const outcome = await journey.apply();

    expect(outcome.results.map((r) => [r.stack, r.outcome])).toEqual([
      [STACKS.flag, 'no-changes'],
      [STACKS.cellA1, 'applied'],
      [STACKS.addonsA1, 'no-changes'],
    ]);
    expect(journey.appliedStacks()).toEqual([STACKS.cellA1]);
    const after = await journey.plan({ head: journey.git('rev-parse', 'HEAD') });
    expect(after.map((r) => r.status)).toEqual(['no-changes', 'no-changes', 'no-changes']);
  });

  it('plans on main under the state lock, unlike a pull request plan', async () => {
    journey = await ApplyJourney.start();
    await branchChangingCell();
    await journey.planAndRecord(PR);
    journey.approve(PR);
    journey.merge(PR, 'grow');
    await journey.apply();
    const plans = journey.calls().filter((c) => c.args[0] === 'plan');
    expect(plans.length).toBe(3);
    for (const p of plans) {
      expect(p.args).toContain('-lock-timeout=5m');
      expect(p.args).not.toContain('-lock=false');
    }
    const applies = journey.calls().filter((c) => c.args[0] === 'apply');
    expect(applies[0]?.args.slice(0, 4)).toEqual(['apply', '-input=false', '-no-color', '-lock-timeout=5m']);
  });

  it('posts an apply record with its own marker, and writes one JSON file per stack', async () => {
    journey = await ApplyJourney.start();
    await branchChangingCell();
    const { results } = await journey.planAndRecord(PR);
    journey.approve(PR);
    const merge = journey.merge(PR, 'grow');
    const outcome = await journey.apply({ env: { ...journey.env, GITHUB_RUN_ID: '555' } });

    const record = comments().at(-1);
    expect(record?.body.startsWith(`<!-- kitt:apply-record commit=${merge} flag=all result=applied -->`)).toBe(true);
    expect(record?.body).toContain('1 applied, 2 without changes');
    expect(outcome.recordUrl).toContain(`#issuecomment-${record?.id}`);
    const json = JSON.parse(readFileSync(join(journey.root, 'apply-record', `${STACKS.cellA1}.json`), 'utf8'));
    const approved = results.find((r) => r.stack === STACKS.cellA1)?.fingerprint;
    expect(json).toMatchObject({
      kind: 'kitt-apply-record',
      stack: STACKS.cellA1,
      outcome: 'applied',
      appliedFingerprint: approved,
      approvedFingerprint: approved,
      terraformVersion: '1.11.4',
      commit: merge,
      pr: PR,
      applyRunId: '555',
    });
    expect(typeof json.durationMs).toBe('number');
    expect(typeof json.startedAt).toBe('string');
  });

  it('finds the pull request from --pr as well as from the merge commit', async () => {
    journey = await ApplyJourney.start();
    await branchChangingCell();
    await journey.planAndRecord(PR);
    journey.approve(PR);
    journey.merge(PR, 'grow');
    const outcome = await journey.apply({ pr: PR });
    expect(outcome.pr).toBe(PR);
    expect(journey.appliedStacks()).toEqual([STACKS.cellA1]);
  });
});

describe('the guard refuses, and nothing is planned or applied', () => {
  it('when a commit came after the record', async () => {
    journey = await ApplyJourney.start();
    await branchChangingCell();
    await journey.planAndRecord(PR);
    journey.approve(PR);
    journey.editFlag((doc) => grow(doc, 'a1', 9));
    journey.commit('One more change, never planned');
    journey.approve(PR); // even approved: nobody saw its plan
    journey.merge(PR, 'grow');
    const error = await refusal(journey.apply());
    expect(error.code).toBe('APPLY_RECORD_NOT_FOR_HEAD');
    expect(journey.calls()).toEqual([]);
  });

  it('when nobody approved', async () => {
    journey = await ApplyJourney.start();
    await branchChangingCell();
    await journey.planAndRecord(PR);
    journey.merge(PR, 'grow');
    const error = await refusal(journey.apply());
    expect(error.code).toBe('APPLY_NOT_APPROVED');
    expect(error.message).toContain('there is no approving review');
    expect(journey.calls()).toEqual([]);
  });

  it('when the only approval is the author’s own', async () => {
    journey = await ApplyJourney.start();
    await branchChangingCell();
    await journey.planAndRecord(PR);
    journey.approve(PR, { user: AUTHOR });
    journey.merge(PR, 'grow');
    const error = await refusal(journey.apply());
    expect(error.code).toBe('APPLY_NOT_APPROVED');
    expect(journey.calls()).toEqual([]);
  });

  it('when the approval predates the record, which was written again after it', async () => {
    journey = await ApplyJourney.start();
    await branchChangingCell();
    await journey.planAndRecord(PR);
    journey.approve(PR);
    await journey.planAndRecord(PR); // a second plan run of the same head rewrites the record
    journey.merge(PR, 'grow');
    const error = await refusal(journey.apply());
    expect(error.code).toBe('APPLY_NOT_APPROVED');
    expect(error.message).toContain('predates the record');
    expect(journey.calls()).toEqual([]);
  });

  it('when the approval is of an older commit', async () => {
    journey = await ApplyJourney.start();
    await branchChangingCell();
    journey.approve(PR);
    journey.editFlag((doc) => grow(doc, 'a1', 9));
    journey.commit('Grow it more');
    await journey.planAndRecord(PR);
    journey.merge(PR, 'grow');
    const error = await refusal(journey.apply());
    expect(error.code).toBe('APPLY_NOT_APPROVED');
    expect(journey.calls()).toEqual([]);
  });

  it('when the record is a look-alike from another author', async () => {
    journey = await ApplyJourney.start();
    await branchChangingCell();
    await journey.planAndRecord(8); // a real record, on another pull request
    const copy = comments(8)[0]?.body as string;
    journey.github.seed(PR, [copy], STRANGER);
    journey.github.setPullRequest({ number: PR, headSha: journey.git('rev-parse', 'HEAD'), author: AUTHOR.login });
    journey.approve(PR);
    journey.merge(PR, 'grow');
    const error = await refusal(journey.apply());
    expect(error.code).toBe('APPLY_NO_RECORD');
    expect(journey.calls()).toEqual([]);
  });

  it.each([
    ['another workflow', { path: '.github/workflows/evil.yml' }, "its workflow is '.github/workflows/evil.yml'"],
    ['another event', { event: 'workflow_dispatch' }, "its event is 'workflow_dispatch'"],
    ['a failed run', { conclusion: 'failure' }, "its conclusion is 'failure'"],
    ['another head', { headSha: 'f'.repeat(40) }, 'it ran on ffffffffffff'],
  ])('when the plan run the record names is of %s', async (_what, run, reason) => {
    journey = await ApplyJourney.start();
    await branchChangingCell();
    await journey.planAndRecord(PR, { run });
    journey.approve(PR);
    journey.merge(PR, 'grow');
    const error = await refusal(journey.apply());
    expect(error.code).toBe('APPLY_PLAN_RUN_UNTRUSTED');
    expect(error.message).toContain(reason);
    expect(journey.github.requestsTo('GET', /\/actions\/artifacts\//)).toEqual([]);
    expect(journey.calls()).toEqual([]);
  });

  it('when the record’s fingerprints disagree with the plan run’s artifacts', async () => {
    journey = await ApplyJourney.start();
    await branchChangingCell();
    await journey.planAndRecord(PR, {
      tamper: (r) => (r.stack === STACKS.cellA1 ? { ...r, fingerprint: 'e'.repeat(64) } : r),
    });
    journey.approve(PR);
    journey.merge(PR, 'grow');
    const error = await refusal(journey.apply());
    expect(error.code).toBe('APPLY_EVIDENCE_MISMATCH');
    expect(error.message).toContain(
      `the record's ${STACKS.cellA1} disagrees with the plan run's artifacts in fingerprint`,
    );
    expect(journey.calls()).toEqual([]);
  });

  it('when the merge commit belongs to no merged pull request', async () => {
    journey = await ApplyJourney.start();
    const error = await refusal(journey.apply());
    expect(error.code).toBe('APPLY_PULL_REQUEST_NOT_FOUND');
    expect(journey.calls()).toEqual([]);
  });
});

describe('a plan on main that is not the approved one', () => {
  it('is not applied: it is posted for approval and the FLAG’s chain stops there', async () => {
    journey = await ApplyJourney.start();
    await branchChangingCell();
    await journey.planAndRecord(PR);
    journey.approve(PR);
    journey.merge(PR, 'grow');
    // Drift: someone changed cell a1 by hand after the plan was approved.
    const state = JSON.parse(readFileSync(journey.statePath(STACKS.cellA1), 'utf8'));
    state.resources['terraform_data.this'].input.zone = 'eu-west-2b';
    writeFileSync(journey.statePath(STACKS.cellA1), JSON.stringify(state));

    const outcome = await journey.apply();

    expect(outcome.results.map((r) => [r.stack, r.outcome])).toEqual([
      [STACKS.flag, 'no-changes'],
      [STACKS.cellA1, 'needs-approval'],
      [STACKS.addonsA1, 'not-applied'],
    ]);
    expect(journey.appliedStacks()).toEqual([]);
    const followUp = comments().find((c) => c.body.startsWith('<!-- kitt:apply-follow-up'));
    expect(followUp?.author.login).toBe('github-actions[bot]');
    const metadata = readPlanMetadata(followUp?.body ?? '');
    expect(metadata?.stacks.map((s) => [s.stack, s.status])).toEqual([[STACKS.cellA1, 'changes']]);
    expect(metadata?.stacks[0]?.fingerprint).toBe(outcome.results[1]?.plannedFingerprint);
    expect(outcome.followUps).toEqual([followUp?.id]);
    expect(comments().at(-1)?.body).toContain('need approval');
  });

  it('is posted for approval when the stack waited on its upstream in the pull request’s plan', async () => {
    journey = await ApplyJourney.start();
    journey.git('checkout', '--quiet', '-b', 'grow');
    journey.editFlag((doc) => doc.cells?.push({ name: 'b1', zone: 'eu-west-2b', slot: 1 }));
    journey.commit('Add cell b1');
    const { results } = await journey.planAndRecord(PR);
    expect(results.find((r) => r.stack === STACKS.addonsB1)?.status).toBe('waits');
    journey.approve(PR);
    journey.merge(PR, 'grow');

    const outcome = await journey.apply();

    expect(journey.appliedStacks()).toEqual([STACKS.cellB1]);
    expect(outcome.results.find((r) => r.stack === STACKS.addonsB1)?.outcome).toBe('needs-approval');
  });
});

describe('a failed apply', () => {
  it('applies nothing after the stack that failed, and the record says which stacks applied and how to retry', async () => {
    journey = await ApplyJourney.start((doc) => doc.cells?.push({ name: 'b1', zone: 'eu-west-2b', slot: 1 }));
    journey.git('checkout', '--quiet', '-b', 'grow');
    journey.editFlag((doc) => {
      grow(doc, 'a1');
      grow(doc, 'b1');
    });
    journey.commit('Grow both cells');
    await journey.planAndRecord(PR);
    journey.approve(PR);
    journey.merge(PR, 'grow');

    const error = await refusal(journey.apply({ env: { ...journey.env, FAKE_TF_FAIL_APPLY: STACKS.cellB1 } }));

    expect(error.code).toBe('APPLY_FAILED');
    expect(error.message).toContain('AccessDenied');
    expect(journey.appliedStacks()).toEqual([STACKS.cellA1, STACKS.cellB1]); // b1 tried, and failed
    expect(existsSync(journey.statePath(STACKS.cellB1))).toBe(true);
    const record = comments().at(-1)?.body ?? '';
    expect(record).toContain(
      'The apply failed: nothing after <code>payments-dev-eu-west-2-cell-b1</code> was applied.',
    );
    expect(record).toContain(
      `Applied: <code>${STACKS.cellA1}</code>. Not applied: <code>${STACKS.cellB1}</code>, <code>${STACKS.addonsA1}</code>, <code>${STACKS.addonsB1}</code>.`,
    );
    expect(record).toContain('To retry, re-run this apply');
    expect(
      record.startsWith(`<!-- kitt:apply-record commit=${journey.git('rev-parse', 'HEAD')} flag=all result=failed -->`),
    ).toBe(true);
    expect(record).toContain('AccessDenied');
    const json = JSON.parse(readFileSync(join(journey.root, 'apply-record', `${STACKS.addonsB1}.json`), 'utf8'));
    expect(json).toMatchObject({
      outcome: 'not-applied',
      reason: `${STACKS.cellB1} failed before it`,
      appliedFingerprint: null,
    });
  });
});

describe('removed stacks', () => {
  it('are destroyed in reverse order when the record showed their destroys', async () => {
    journey = await ApplyJourney.start((doc) => doc.cells?.push({ name: 'b1', zone: 'eu-west-2b', slot: 1 }));
    const base = journey.git('rev-parse', 'HEAD');
    journey.git('checkout', '--quiet', '-b', 'shrink');
    journey.editFlag((doc) => {
      doc.cells = doc.cells?.filter((c) => c.name !== 'b1');
    });
    journey.commit('Remove cell b1');
    const { results } = await journey.planAndRecord(PR, { base });
    expect(results.filter((r) => r.removed).map((r) => r.stack)).toEqual([STACKS.addonsB1, STACKS.cellB1]);
    journey.approve(PR);
    journey.merge(PR, 'shrink');

    const outcome = await journey.apply();

    expect(journey.appliedStacks()).toEqual([STACKS.addonsB1, STACKS.cellB1]);
    expect(outcome.results.filter((r) => r.destroy).map((r) => r.outcome)).toEqual(['applied', 'applied']);
    const state = JSON.parse(readFileSync(journey.statePath(STACKS.cellB1), 'utf8'));
    expect(state.resources).toEqual({});
  });

  it('are destroyed before the FLAG’s other changes, which may take away what they stand on (a cell’s subnets)', async () => {
    journey = await ApplyJourney.start((doc) => doc.cells?.push({ name: 'b1', zone: 'eu-west-2b', slot: 1 }));
    const base = journey.git('rev-parse', 'HEAD');
    journey.git('checkout', '--quiet', '-b', 'shrink');
    journey.editFlag((doc) => {
      doc.cells = doc.cells?.filter((c) => c.name !== 'b1');
      doc.network.zones = doc.network.zones.filter((z) => z !== 'eu-west-2b');
    });
    journey.commit('Remove cell b1 and its zone');
    await journey.planAndRecord(PR, { base });
    journey.approve(PR);
    journey.merge(PR, 'shrink');

    const outcome = await journey.apply();

    expect(journey.appliedStacks()).toEqual([STACKS.addonsB1, STACKS.cellB1, STACKS.flag]);
    expect(outcome.results.map((r) => [r.stack, r.outcome])).toEqual([
      [STACKS.addonsB1, 'applied'],
      [STACKS.cellB1, 'applied'],
      [STACKS.flag, 'applied'],
      [STACKS.cellA1, 'no-changes'],
      [STACKS.addonsA1, 'no-changes'],
    ]);
  });

  it('are left alone when the record did not show their destroys', async () => {
    journey = await ApplyJourney.start((doc) => doc.cells?.push({ name: 'b1', zone: 'eu-west-2b', slot: 1 }));
    journey.git('checkout', '--quiet', '-b', 'shrink');
    journey.editFlag((doc) => {
      doc.cells = doc.cells?.filter((c) => c.name !== 'b1');
    });
    journey.commit('Remove cell b1');
    await journey.planAndRecord(PR); // planned without the base: no destroy in the record
    journey.approve(PR);
    journey.merge(PR, 'shrink');

    await journey.apply();

    expect(journey.appliedStacks()).toEqual([]);
    const state = JSON.parse(readFileSync(journey.statePath(STACKS.cellB1), 'utf8'));
    expect(Object.keys(state.resources)).toEqual(['terraform_data.this']);
  });
});

it('applies only the FLAG --flag names', async () => {
  journey = await ApplyJourney.start();
  await branchChangingCell();
  await journey.planAndRecord(PR);
  journey.approve(PR);
  journey.merge(PR, 'grow');
  const outcome = await journey.apply({ flagId: 'other-prod-us-east-1' });
  expect(outcome.results).toEqual([]);
  expect(journey.appliedStacks()).toEqual([]);
  expect(comments().at(-1)?.body).toContain(`flag=other-prod-us-east-1`);
  void FLAG_ID;
});

describe('the job summary', () => {
  it('gets the apply record', async () => {
    journey = await ApplyJourney.start();
    await branchChangingCell();
    await journey.planAndRecord(PR);
    journey.approve(PR);
    journey.merge(PR, 'grow');
    const file = join(journey.root, 'step-summary.md');
    await journey.apply({ stepSummaryFile: file });
    const summary = readFileSync(file, 'utf8');
    expect(summary.startsWith('# Apply: 1 applied, 2 without changes')).toBe(true);
  });

  it('gets the guard’s reasons when it refuses', async () => {
    journey = await ApplyJourney.start();
    await branchChangingCell();
    await journey.planAndRecord(PR);
    journey.merge(PR, 'grow');
    const file = join(journey.root, 'step-summary.md');
    await refusal(journey.apply({ stepSummaryFile: file }));
    const summary = readFileSync(file, 'utf8');
    expect(summary).toContain('### Not applied');
    expect(summary).toContain('[APPLY_NOT_APPROVED]');
  });
});
