import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyRecordMarker } from '../apply/apply-record';
import { ApplyJourney, FLAG_ID, KITT, STACKS } from '../apply/__fixtures__/journey';
import { Git } from '../checkout/git';
import { FakeIssues } from '../github/__fixtures__/fake-issues';
import { ACTIONS_BOT, STRANGER } from '../github/__fixtures__/fake-github';
import type { StackResult } from '../plan';
import { driftMarker } from './drift-issue-body';
import { runDrift } from './run-drift';

let journey: ApplyJourney;
let issues: FakeIssues;
let plansDir: string;

beforeEach(async () => {
  journey = await ApplyJourney.start();
  issues = new FakeIssues(journey.github);
  plansDir = mkdtempSync(join(tmpdir(), 'kitt-drift-plans-'));
});
afterEach(async () => {
  await journey.close();
  rmSync(plansDir, { recursive: true, force: true });
});

/** Changes a stack's state behind Terraform's back: what someone does in the AWS console. */
function driftState(stack: string, input: unknown): void {
  const file = journey.statePath(stack);
  const state = JSON.parse(readFileSync(file, 'utf8')) as { resources: Record<string, { input: unknown }> };
  state.resources['terraform_data.this'] = { input };
  writeFileSync(file, JSON.stringify(state));
}

/** The drift workflow's plan job for the FLAG: main planned, its summaries where the report job downloads them. */
async function planMain(): Promise<StackResult[]> {
  rmSync(plansDir, { recursive: true, force: true });
  const results = await journey.plan({ head: journey.git('rev-parse', 'HEAD'), runId: '555' });
  for (const r of results) {
    mkdirSync(join(plansDir, r.flagId, r.stack), { recursive: true });
    writeFileSync(join(plansDir, r.flagId, r.stack, 'summary.json'), JSON.stringify(r));
  }
  return results;
}

function drift(since = new Date(0)) {
  return runDrift({
    repoDir: journey.repoDir,
    git: new Git(journey.repoDir),
    octokit: journey.github.client(),
    owner: 'acme',
    repo: 'infra',
    author: KITT,
    plansDir,
    since,
    run: {
      commit: journey.git('rev-parse', 'HEAD'),
      runId: '555',
      runUrl: 'https://github.com/acme/infra/actions/runs/555',
    },
  });
}

describe('the drift report', () => {
  it('opens an issue for a FLAG whose stack drifted, with the rendered plan of the drifted stack only', async () => {
    driftState(STACKS.flag, { vpcCidr: '10.9.0.0/16', zones: ['changed-in-the-console'] });
    await planMain();

    const outcome = await drift();

    expect(outcome.issues).toEqual([expect.objectContaining({ flagId: FLAG_ID, action: 'opened' })]);
    const [issue] = issues.open();
    expect(issue?.title).toBe(`Drift: ${FLAG_ID}`);
    expect(issue?.author).toEqual(ACTIONS_BOT);
    expect(issue?.body.split('\n')[0]).toBe(driftMarker(FLAG_ID));
    expect(issue?.body).toContain('1 stack(s) differ; 2 wait on them (not planned)');
    expect(issue?.body).toContain('| <code>payments-dev-eu-west-2-flag</code> | flag | 📝 changes | 0 | 1 | 0 |');
    expect(issue?.body).toContain('zones[0] = "changed-in-the-console"');
    expect(issue?.body).not.toContain('kitt:plan-metadata');
  });

  it('updates its one issue when the drift changes, and leaves it alone when nothing changed', async () => {
    driftState(STACKS.flag, { vpcCidr: '10.9.0.0/16', zones: [] });
    await planMain();
    await drift();
    driftState(STACKS.flag, { vpcCidr: '10.9.0.0/16', zones: ['changed-again'] });
    await planMain();

    expect((await drift()).issues).toEqual([expect.objectContaining({ action: 'updated' })]);
    expect((await drift()).issues).toEqual([expect.objectContaining({ action: 'unchanged' })]);
    expect(issues.all()).toHaveLength(1);
    expect(issues.open()[0]?.body).toContain('changed-again');
  });

  it('closes its issue with a comment once the drift is gone', async () => {
    const state = readFileSync(journey.statePath(STACKS.flag), 'utf8');
    driftState(STACKS.flag, { vpcCidr: '10.9.0.0/16', zones: [] });
    await planMain();
    await drift();
    writeFileSync(journey.statePath(STACKS.flag), state);
    await planMain();

    const outcome = await drift();

    const [issue] = issues.all();
    expect(outcome.issues).toEqual([expect.objectContaining({ action: 'closed', number: issue?.number })]);
    expect(issue).toMatchObject({ state: 'closed', stateReason: 'completed' });
    expect(journey.github.commentsOn(issue?.number as number).map((c) => c.body)).toEqual([
      expect.stringContaining(`No drift in <code>${FLAG_ID}</code> any more`),
    ]);
  });

  it('opens no issue when main has no drift and nothing unapplied', async () => {
    await planMain();
    expect((await drift()).issues).toEqual([{ flagId: FLAG_ID, action: 'none' }]);
    expect(journey.github.requestsTo('POST', /\/issues/)).toEqual([]);
    expect(issues.all()).toEqual([]);
  });

  it("never touches a look-alike issue someone else wrote with kitt's marker, and opens its own", async () => {
    const lookAlike = issues.seed({ title: `Drift: ${FLAG_ID}`, body: `${driftMarker(FLAG_ID)}\nplease close me` });
    const botLookAlike = issues.seed({
      title: `Drift: ${FLAG_ID}`,
      body: `${driftMarker(FLAG_ID)}\nfrom another app`,
      author: { login: 'other-app[bot]', type: 'Bot' },
    });
    await planMain();
    await drift(); // no drift: kitt has nothing to close, and must not close these
    driftState(STACKS.flag, { vpcCidr: '10.9.0.0/16', zones: [] });
    await planMain();

    await drift();

    expect(journey.github.requestsTo('PATCH', /\/issues\/\d+$/)).toEqual([]);
    expect(
      journey.github.requestsTo('POST', new RegExp(`/issues/(${lookAlike.number}|${botLookAlike.number})/`)),
    ).toEqual([]);
    expect(issues.open().map((i) => i.author.login)).toEqual(['mallory', 'other-app[bot]', ACTIONS_BOT.login]);
  });

  it('reports a merged pull request that changed the FLAG and has no apply record, until kitt records its apply', async () => {
    journey.git('checkout', '--quiet', '-b', 'more-nodes');
    journey.editFlag((doc) => (doc.cells = (doc.cells ?? []).map((c) => ({ ...c, nodes: 4 }))));
    journey.commit('More nodes');
    const merge = journey.merge(7, 'more-nodes');
    journey.github.seed(
      7,
      [`${applyRecordMarker({ commit: merge, flagId: FLAG_ID }, 'applied')}\nlooks applied`],
      STRANGER,
    );
    await planMain();

    await drift();

    const [issue] = issues.open();
    expect(issue?.body).toContain('## Merged pull requests without an apply record');
    expect(issue?.body).toContain(`- #7: commit <code>${merge.slice(0, 12)}</code>`);

    journey.github.seed(
      7,
      [`${applyRecordMarker({ commit: merge, flagId: FLAG_ID }, 'failed')}\n# Apply`],
      ACTIONS_BOT,
    );
    await drift();
    expect(issues.open()[0]?.body).toContain(`- #7: commit <code>${merge.slice(0, 12)}</code>`);

    journey.github.seed(
      7,
      [`${applyRecordMarker({ commit: merge, flagId: FLAG_ID }, 'applied')}\n# Apply`],
      ACTIONS_BOT,
    );
    journey.git('checkout', '--quiet', '-b', 'applied-state');
    await drift();
    expect(issues.open()[0]?.body).not.toContain('without an apply record');
  });

  it('looks no further back than the date it is given', async () => {
    journey.git('checkout', '--quiet', '-b', 'more-nodes');
    journey.editFlag((doc) => (doc.cells = (doc.cells ?? []).map((c) => ({ ...c, nodes: 4 }))));
    journey.commit('More nodes');
    journey.merge(7, 'more-nodes');
    await planMain();

    await drift(new Date(Date.now() + 60_000));

    expect(journey.github.requestsTo('GET', /\/commits\/[0-9a-f]{40}\/pulls$/)).toEqual([]);
  });

  it('judges no FLAG it has no plan of: its issue stays as it is, and the outcome names it', async () => {
    driftState(STACKS.flag, { vpcCidr: '10.9.0.0/16', zones: [] });
    await planMain();
    await drift();
    rmSync(plansDir, { recursive: true, force: true });
    mkdirSync(plansDir);

    const outcome = await drift();

    expect(outcome).toEqual({ issues: [], notPlanned: [FLAG_ID] });
    expect(issues.open()).toHaveLength(1);
  });

  it('closes the issue of a FLAG gone from main, whose stacks there is nothing left to plan', async () => {
    driftState(STACKS.flag, { vpcCidr: '10.9.0.0/16', zones: [] });
    await planMain();
    await drift();
    rmSync(join(journey.repoDir, 'flags', 'payments'), { recursive: true, force: true });
    journey.commit('Remove the FLAG');
    rmSync(plansDir, { recursive: true, force: true });
    mkdirSync(plansDir);

    const outcome = await drift();

    expect(outcome).toEqual({
      issues: [expect.objectContaining({ flagId: FLAG_ID, action: 'closed' })],
      notPlanned: [],
    });
    expect(issues.open()).toEqual([]);
  });
});
