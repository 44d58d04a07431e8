/**
 * Never silently dropped: an apply run of a FLAG goes through every earlier merge of it that no run finished (a
 * run GitHub cancelled, a failed one), in order, each through the guard, and each pull request gets its record.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readApplyRecordMarker } from './apply-record';
import { ApplyJourney, FLAG_ID, KITT, STACKS, type FlagDoc } from './__fixtures__/journey';
import { ApplyError } from './errors';
import { pendingMerges } from './merge-walk';

let journey: ApplyJourney;
afterEach(async () => journey?.close());

const withCellB1 = (doc: FlagDoc) => doc.cells?.push({ name: 'b1', zone: 'eu-west-2b', slot: 1 });

/** A reviewed pull request changing one cell's node count, merged; its merge commit. */
async function mergeGrowing(pr: number, cell: string, nodes: number): Promise<string> {
  journey.git('checkout', '--quiet', '-b', `grow-${pr}`);
  journey.editFlag((doc) => {
    const found = doc.cells?.find((c) => c.name === cell);
    if (found) found.nodes = nodes;
  });
  journey.commit(`Grow cell ${cell}`);
  await journey.planAndRecord(pr);
  journey.approve(pr);
  return journey.merge(pr, `grow-${pr}`);
}

/** kitt's apply records on the pull request: commit and result of each. */
function applyRecords(pr: number): { commit: string; result?: string }[] {
  return journey.github.commentsOn(pr).flatMap((c) => {
    const marker = readApplyRecordMarker(c.body);
    return marker ? [{ commit: marker.commit, ...(marker.result ? { result: marker.result } : {}) }] : [];
  });
}

it('applies both merges of a FLAG, in order, when the run of the first was cancelled', async () => {
  journey = await ApplyJourney.start(withCellB1);
  const first = await mergeGrowing(7, 'a1', 5); // its run was cancelled: never applied
  const second = await mergeGrowing(8, 'b1', 6);

  const outcome = await journey.apply({ flagId: FLAG_ID });

  expect(outcome.merges.map((m) => [m.commit, m.pr, m.result])).toEqual([
    [first, 7, 'applied'],
    [second, 8, 'applied'],
  ]);
  expect(journey.appliedStacks()).toEqual([STACKS.cellA1, STACKS.cellB1]);
  expect(applyRecords(7)).toEqual([{ commit: first, result: 'applied' }]);
  expect(applyRecords(8)).toEqual([{ commit: second, result: 'applied' }]);
  const after = await journey.plan({ head: second });
  expect(after.every((r) => r.status === 'no-changes')).toBe(true);
});

it('applies nothing again once every merge has its finished apply record', async () => {
  journey = await ApplyJourney.start(withCellB1);
  await mergeGrowing(7, 'a1', 5);
  await journey.apply({ flagId: FLAG_ID });
  const calls = journey.calls().length;

  const again = await journey.apply({ flagId: FLAG_ID });

  expect(again.merges).toEqual([]);
  expect(journey.calls().length).toBe(calls);
  expect(applyRecords(7)).toHaveLength(1);
});

it('stops at a failed merge: the merges after it are recorded as not tried, and a retry applies both', async () => {
  journey = await ApplyJourney.start(withCellB1);
  const first = await mergeGrowing(7, 'a1', 5);
  const second = await mergeGrowing(8, 'b1', 6);

  const failed = await journey
    .apply({ flagId: FLAG_ID, env: { ...journey.env, FAKE_TF_FAIL_APPLY: STACKS.cellA1 } })
    .then(
      () => undefined,
      (e: unknown) => e,
    );

  expect(failed).toBeInstanceOf(ApplyError);
  expect((failed as ApplyError).code).toBe('APPLY_FAILED');
  expect(journey.appliedStacks()).toEqual([STACKS.cellA1]); // tried, and failed: b1 never tried
  expect(applyRecords(7)).toEqual([{ commit: first, result: 'failed' }]);
  expect(applyRecords(8)).toEqual([{ commit: second, result: 'stopped' }]);
  expect(journey.github.commentsOn(8).at(-1)?.body).toContain(
    `the apply of ${first.slice(0, 12)} (#7) failed before it`,
  );

  // The retry (the workflow's dispatch, or a re-run) goes through the guard again for both, in order.
  const retry = await journey.apply({ flagId: FLAG_ID });

  expect(retry.merges.map((m) => [m.pr, m.result])).toEqual([
    [7, 'applied'],
    [8, 'applied'],
  ]);
  expect(journey.appliedStacks()).toEqual([STACKS.cellA1, STACKS.cellA1, STACKS.cellB1]);
  expect(applyRecords(7).at(-1)).toEqual({ commit: first, result: 'applied' });
});

it('records a refused earlier merge as refused, applies the later one, and fails the run', async () => {
  journey = await ApplyJourney.start(withCellB1);
  journey.git('checkout', '--quiet', '-b', 'grow-7');
  journey.editFlag((doc) => {
    const a1 = doc.cells?.find((c) => c.name === 'a1');
    if (a1) a1.nodes = 5;
  });
  journey.commit('Grow cell a1');
  await journey.planAndRecord(7); // never approved
  const first = journey.merge(7, 'grow-7');
  const second = await mergeGrowing(8, 'b1', 6);

  const error = await journey.apply({ flagId: FLAG_ID }).then(
    () => undefined,
    (e: unknown) => e,
  );

  expect((error as ApplyError).code).toBe('APPLY_NOT_APPROVED');
  expect(applyRecords(7)).toEqual([{ commit: first, result: 'refused' }]);
  expect(journey.github.commentsOn(7).at(-1)?.body).toContain('APPLY_NOT_APPROVED');
  expect(applyRecords(8)).toEqual([{ commit: second, result: 'applied' }]);
});

it('looks back no further than flags/org.yaml applySince', async () => {
  journey = await ApplyJourney.start(withCellB1);
  const before = await mergeGrowing(7, 'a1', 5);
  const org = join(journey.repoDir, 'flags', 'org.yaml');
  writeFileSync(org, `${readFileSync(org, 'utf8')}applySince: ${before}\n`);
  journey.commit('Applied by other means up to here');
  const second = await mergeGrowing(8, 'b1', 6);

  const outcome = await journey.apply({ flagId: FLAG_ID });

  expect(outcome.merges.map((m) => [m.commit, m.pr])).toEqual([[second, 8]]);
  expect(applyRecords(7)).toEqual([]);
});

it('refuses a backlog longer than it catches up, asking for applySince, before anything is planned', async () => {
  journey = await ApplyJourney.start(withCellB1);
  await mergeGrowing(7, 'a1', 5);
  await mergeGrowing(8, 'b1', 6);
  const walk = pendingMerges({
    repoDir: journey.repoDir,
    octokit: journey.github.client(),
    owner: 'acme',
    repo: 'infra',
    author: KITT,
    flagId: FLAG_ID,
    commit: journey.git('rev-parse', 'HEAD'),
    maxPending: 1,
  });
  await expect(walk).rejects.toMatchObject({
    code: 'APPLY_BACKLOG_TOO_LONG',
    message: expect.stringContaining('set applySince'),
  });
  expect(journey.calls()).toEqual([]);
});
