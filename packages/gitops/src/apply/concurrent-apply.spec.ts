/**
 * Applies at the same time, with the stand-in terraform's state lock (checked against terraform 1.11 in
 * saved-plan.spec.ts) and a slow apply: two runs of one FLAG never hold a stack's state at once, and the one
 * that comes second either plans after the first applied or fails cleanly on its stale plan, with a record;
 * runs of two FLAGs both apply.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { flagDirOfId } from '@kitt/flag-config';
import { readApplyRecordMarker } from './apply-record';
import { ApplyJourney, FLAG_ID, STACKS } from './__fixtures__/journey';
import { ApplyError } from './errors';

let journey: ApplyJourney;
afterEach(async () => journey?.close());

const OTHER_FLAG = 'ads-dev-eu-west-2';

interface Held {
  stack: string;
  operation: string;
  from: number;
  to: number;
}

/** A run as its own runner would make it: its own synthesis, saved plans and records; the state shared. */
function runIn(name: string, env: Record<string, string | undefined>) {
  return {
    env,
    outDir: join(journey.root, name, 'plans'),
    recordDir: join(journey.root, name, 'record'),
    stackSource: journey.stackSource(join(journey.root, name, 'synth')),
  };
}

function locksHeld(file: string): Held[] {
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Held)
    : [];
}

async function mergeGrowingA1(pr: number): Promise<string> {
  journey.git('checkout', '--quiet', '-b', `grow-${pr}`);
  journey.editFlag((doc) => {
    const a1 = doc.cells?.find((c) => c.name === 'a1');
    if (a1) a1.nodes = 5;
  });
  journey.commit('Grow cell a1');
  await journey.planAndRecord(pr);
  journey.approve(pr);
  return journey.merge(pr, `grow-${pr}`);
}

it('never lets two applies of one FLAG hold a stack’s state at once; the second waits, or fails cleanly with a record', async () => {
  journey = await ApplyJourney.start();
  await mergeGrowingA1(7);
  const lockLog = join(journey.root, 'locks.jsonl');
  const env = { ...journey.env, FAKE_TF_APPLY_DELAY_MS: '1500', FAKE_TF_LOCK_LOG: lockLog };

  const settled = await Promise.allSettled([
    journey.apply({ flagId: FLAG_ID, ...runIn('run-1', { ...env, GITHUB_RUN_ID: '1' }) }),
    journey.apply({ flagId: FLAG_ID, ...runIn('run-2', { ...env, GITHUB_RUN_ID: '2' }) }),
  ]);

  const held = locksHeld(lockLog).filter((h) => h.stack === STACKS.cellA1);
  expect(held.length).toBeGreaterThanOrEqual(3); // each run's plan, and at least one apply
  for (const a of held) {
    for (const b of held) if (a !== b) expect(a.to <= b.from || b.to <= a.from).toBe(true);
  }
  const state = JSON.parse(readFileSync(journey.statePath(STACKS.cellA1), 'utf8'));
  expect(state.serial).toBe(2); // created at the start, then this change: applied once
  const outcomes = settled.map((s) =>
    s.status === 'fulfilled'
      ? s.value.results.find((r) => r.stack === STACKS.cellA1)?.outcome
      : `${(s.reason as ApplyError).code}: ${(s.reason as ApplyError).message}`,
  );
  expect(outcomes).toContain('applied');
  const other = outcomes.find((o) => o !== 'applied') ?? '';
  expect(other === 'no-changes' || (other.startsWith('APPLY_FAILED') && other.includes('Saved plan is stale'))).toBe(
    true,
  );
  const records = journey.github.commentsOn(7).flatMap((c) => readApplyRecordMarker(c.body) ?? []);
  expect(records).toHaveLength(2); // each run says what it did
  const after = await journey.plan({ head: journey.git('rev-parse', 'HEAD') });
  expect(after.every((r) => r.status === 'no-changes')).toBe(true);
});

it('applies concurrent merges to two FLAGs, both', async () => {
  journey = await ApplyJourney.start();
  const first = await mergeGrowingA1(7);
  journey.git('checkout', '--quiet', '-b', 'new-flag');
  mkdirSync(join(journey.repoDir, flagDirOfId(OTHER_FLAG)), { recursive: true });
  copyFileSync(
    join(journey.repoDir, flagDirOfId(FLAG_ID), 'flag.yaml'),
    join(journey.repoDir, flagDirOfId(OTHER_FLAG), 'flag.yaml'),
  );
  journey.commit('A second FLAG');
  await journey.planAndRecord(8, { flagIds: [OTHER_FLAG] });
  journey.approve(8);
  const second = journey.merge(8, 'new-flag');
  const env = { ...journey.env, FAKE_TF_APPLY_DELAY_MS: '500' };

  const [one, two] = await Promise.all([
    journey.apply({ commit: first, flagId: FLAG_ID, ...runIn('run-1', env) }),
    journey.apply({ commit: second, flagId: OTHER_FLAG, ...runIn('run-2', env) }),
  ]);

  expect(one.merges.map((m) => [m.pr, m.result])).toEqual([[7, 'applied']]);
  expect(two.merges.map((m) => [m.pr, m.result])).toEqual([[8, 'waiting']]); // its cell waited on its flag stack
  expect(journey.appliedStacks().sort()).toEqual([STACKS.cellA1, `${OTHER_FLAG}-flag`].sort());
});
