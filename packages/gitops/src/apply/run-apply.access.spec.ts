import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KittError } from '@kitt/flag-config';
import type { StackAccess, StackAccessRequest } from '../terraform/stack-access';
import { ApplyJourney, STACKS, type FlagDoc } from './__fixtures__/journey';

let journey: ApplyJourney;
afterEach(async () => journey?.close());

const PR = 7;
const TUNNEL = 'https://127.0.0.1:40123';

interface AccessScript {
  /** Thrown by `around` before `use` (the tunnel or the API's readiness failed). */
  readonly failOpen?: KittError;
  /** Thrown by `beforeDestroy`. */
  readonly failDestroy?: KittError;
}

/** An access that records what it is asked, in order with terraform's calls, and fails as scripted. */
function recordingAccess(events: string[], script: AccessScript = {}): StackAccess {
  /** The terraform commands run so far in `stack`'s directory. */
  const terraformCalls = (stack: string) =>
    journey
      .calls()
      .filter((c) => c.cwd.endsWith(stack))
      .map((c) => c.args[0])
      .join(', ');
  return {
    async around(request: StackAccessRequest, use) {
      events.push(`open ${request.stack.stack}${request.cellJustApplied ? ' after its cell applied' : ''}`);
      if (script.failOpen) throw script.failOpen;
      try {
        return await use({
          variables: { kube_api_host: TUNNEL },
          beforeDestroy: async () => {
            events.push(`before destroy ${request.stack.stack} (after ${terraformCalls(request.stack.stack)})`);
            if (script.failDestroy) throw script.failDestroy;
          },
        });
      } finally {
        events.push(`close ${request.stack.stack}`);
      }
    },
  };
}

async function mergedChange(edit: (doc: FlagDoc) => void, start?: (doc: FlagDoc) => void): Promise<void> {
  journey = await ApplyJourney.start(start);
  const base = journey.git('rev-parse', 'HEAD');
  journey.git('checkout', '--quiet', '-b', 'change');
  journey.editFlag(edit);
  journey.commit('Change');
  await journey.planAndRecord(PR, { base });
  journey.approve(PR);
  journey.merge(PR, 'change');
}

const growA1 = (doc: FlagDoc) => {
  const a1 = doc.cells?.find((c) => c.name === 'a1');
  if (a1) a1.nodes = 5;
};
const withB1 = (doc: FlagDoc) => {
  doc.cells?.push({ name: 'b1', zone: 'eu-west-2b', slot: 1 });
};
const withoutB1 = (doc: FlagDoc) => {
  doc.cells = doc.cells?.filter((c) => c.name !== 'b1');
};

describe('kitt apply and an addons stack’s cluster access', () => {
  it('plans the addons stack inside the access, told its cell just applied, with the tunnel’s variables', async () => {
    await mergedChange(growA1);
    const events: string[] = [];
    const outcome = await journey.apply({ access: recordingAccess(events) });
    expect(outcome.results.map((r) => [r.stack, r.outcome])).toEqual([
      [STACKS.flag, 'no-changes'],
      [STACKS.cellA1, 'applied'],
      [STACKS.addonsA1, 'no-changes'],
    ]);
    expect(events).toEqual([`open ${STACKS.addonsA1} after its cell applied`, `close ${STACKS.addonsA1}`]);
    const plans = journey.calls().filter((c) => c.args[0] === 'plan');
    const addonsPlan = plans.find((c) => c.cwd.endsWith(STACKS.addonsA1));
    expect(addonsPlan?.args).toEqual(expect.arrayContaining(['-var', `kube_api_host=${TUNNEL}`]));
    expect(plans.filter((c) => !c.cwd.endsWith(STACKS.addonsA1)).flatMap((c) => c.args)).not.toContain('-var');
  });

  it('records an API that never got ready as the addons stack’s failure, with the retry command, in the apply record', async () => {
    await mergedChange(growA1);
    const notReady = new KittError({
      code: 'CELL_API_NOT_READY',
      kind: 'external',
      message:
        'the API of cell a1 was not ready within 15 min. Once the cell’s controllers are up, retry: kitt apply --commit abc',
    });
    const run = journey.apply({ access: recordingAccess([], { failOpen: notReady }) });
    await expect(run).rejects.toMatchObject({ code: 'APPLY_FAILED' });
    const record = JSON.parse(readFileSync(join(journey.root, 'apply-record', `${STACKS.addonsA1}.json`), 'utf8')) as {
      outcome: string;
      error: string;
    };
    expect(record).toMatchObject({ outcome: 'failed', error: `${notReady.message} [CELL_API_NOT_READY]` });
    const comment = journey.github.commentsOn(PR).at(-1)?.body ?? '';
    expect(comment).toContain('retry: kitt apply --commit abc [CELL_API_NOT_READY]');
  });

  it('removes the cluster’s load balancers and volumes after the destroy plan and before its apply, then the cell', async () => {
    await mergedChange(withoutB1, withB1);
    const events: string[] = [];
    const outcome = await journey.apply({ access: recordingAccess(events) });
    expect(outcome.results.filter((r) => r.destroy).map((r) => [r.stack, r.outcome])).toEqual([
      [STACKS.addonsB1, 'applied'],
      [STACKS.cellB1, 'applied'],
    ]);
    expect(events).toEqual([
      `open ${STACKS.addonsB1}`,
      `before destroy ${STACKS.addonsB1} (after init, plan, show)`,
      `close ${STACKS.addonsB1}`,
      `open ${STACKS.addonsA1}`,
      `close ${STACKS.addonsA1}`,
    ]);
    expect(journey.appliedStacks()).toEqual([STACKS.addonsB1, STACKS.cellB1]);
  });

  it('destroys neither the addons stack nor its cell when the cleanup before it fails', async () => {
    await mergedChange(withoutB1, withB1);
    const stuck = new KittError({
      code: 'CELL_CLEANUP_TIMEOUT',
      kind: 'external',
      message: 'Service shop/web is still there',
    });
    const run = journey.apply({ access: recordingAccess([], { failDestroy: stuck }) });
    await expect(run).rejects.toMatchObject({ code: 'APPLY_FAILED' });
    expect(journey.appliedStacks()).toEqual([]);
    const comment = journey.github.commentsOn(PR).at(-1)?.body ?? '';
    expect(comment).toContain('Service shop/web is still there [CELL_CLEANUP_TIMEOUT]');
  });
});
