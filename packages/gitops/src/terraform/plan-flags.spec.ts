import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { configHash } from '../synth/config-hash';
import type { StackResult } from '../plan/record';
import {
  DEMO_FLAG,
  DEMO_STACKS,
  FIXTURES,
  STAND_IN_TERRAFORM,
  standInWorkspace,
  type StandInWorkspace,
} from './__fixtures__/stand-in';
import { renderPlanComment } from '../plan-markdown/render';
import { planStacks, runOrder, type PlanStacksOptions } from './plan-flags';
import { readSynthManifest } from '../stacks/synth-manifest';
import { PREVIEW_SKIPPED } from './stack-summary';
import type { StackAccess } from './stack-access';
import { KittError } from '@kitt/flag-config';

const { flag, cell, addons } = DEMO_STACKS;

let ws: StandInWorkspace;
beforeEach(() => {
  ws = standInWorkspace();
});
afterEach(() => rmSync(ws.root, { recursive: true, force: true }));

function plan(options: Partial<PlanStacksOptions> = {}) {
  return planStacks({
    stacks: readSynthManifest(join(ws.synthOut, DEMO_FLAG), DEMO_FLAG),
    outDir: ws.planOut,
    binary: 'terraform',
    env: ws.env,
    ...options,
  });
}

function summaryOf(stack: string): StackResult {
  return JSON.parse(readFileSync(join(ws.planOut, DEMO_FLAG, stack, 'summary.json'), 'utf8')) as StackResult;
}

/** `[stack, command]` of every stand-in call, in call order. */
function commandsRun(): [string, string | undefined][] {
  return ws.calls().map((c) => [basename(c.cwd), c.args[0]]);
}

const allNoChanges = {
  [flag]: { plan: 0, planJson: 'no-changes.json' },
  [cell]: { plan: 0, planJson: 'no-changes.json' },
  [addons]: { plan: 0, planJson: 'no-changes.json' },
} as const;

it('plans the stacks in apply order: flag, then cells, then addons', async () => {
  ws.scenario(allNoChanges);
  const results = await plan();
  expect(results.map((r) => r.stack.stack)).toEqual([flag, cell, addons]);
  expect(commandsRun()).toEqual([
    [flag, 'init'],
    [flag, 'plan'],
    [flag, 'show'],
    [cell, 'init'],
    [cell, 'plan'],
    [cell, 'show'],
    [addons, 'init'],
    [addons, 'plan'],
    [addons, 'show'],
  ]);
  expect(results.map((r) => r.result.status)).toEqual(['no-changes', 'no-changes', 'no-changes']);
});

it('runs the binary it is given, without the state lock, with the plan saved under the output directory', async () => {
  ws.scenario(allNoChanges);
  // PATH holds node (the stand-in's interpreter) but no terraform: only the path given can be run.
  await plan({ binary: STAND_IN_TERRAFORM, env: { ...ws.env, PATH: dirname(process.execPath) } });
  const planCall = ws.calls().find((c) => basename(c.cwd) === flag && c.args[0] === 'plan');
  expect(planCall?.args).toEqual([
    'plan',
    '-input=false',
    '-no-color',
    '-detailed-exitcode',
    '-lock=false',
    `-out=${join(ws.planOut, DEMO_FLAG, flag, 'tfplan')}`,
  ]);
});

it('runs terraform in the stack directory with TF_IN_AUTOMATION and CHECKPOINT_DISABLE set', async () => {
  ws.scenario(allNoChanges);
  await plan({ env: { ...ws.env, TF_IN_AUTOMATION: undefined, CHECKPOINT_DISABLE: undefined } });
  const calls = ws.calls();
  expect(calls.map((c) => c.env)).toEqual(calls.map(() => ({ TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' })));
  expect(calls[0]?.cwd).toBe(join(ws.synthOut, DEMO_FLAG, 'stacks', flag));
});

it('makes the stacks below a stack with changes wait, without running terraform for them', async () => {
  ws.scenario({ ...allNoChanges, [flag]: { plan: 2, planJson: 'flag-create.json' } });
  const results = await plan();
  expect(results.map((r) => [r.stack.stack, r.result.status, r.result.waitsFor])).toEqual([
    [flag, 'changes', undefined],
    [cell, 'waits', flag],
    [addons, 'waits', cell],
  ]);
  expect(commandsRun().every(([stack]) => stack === flag)).toBe(true);
});

it('lists the resources a waiting stack would create, read from its synthesized config', async () => {
  ws.scenario({ ...allNoChanges, [flag]: { plan: 2, planJson: 'flag-create.json' } });
  await plan();
  expect(summaryOf(cell)).toMatchObject({
    status: 'waits',
    waitsFor: flag,
    previewResources: ['aws_instance.control_plane_0', 'aws_security_group.nodes'],
  });
  expect(summaryOf(cell).summary).toBeUndefined();
});

it('plans a stack whose upstream has no changes, and makes only the stacks below a changed cell wait', async () => {
  ws.scenario({ ...allNoChanges, [cell]: { plan: 2, planJson: 'cell-update.json' } });
  const results = await plan();
  expect(results.map((r) => r.result.status)).toEqual(['no-changes', 'changes', 'waits']);
  expect(summaryOf(addons).waitsFor).toBe(cell);
});

it("reports a failed plan with terraform's error text and still plans the stacks after it", async () => {
  const stderr = 'Error: No valid credential sources found\n\n  with provider["registry.terraform.io/hashicorp/aws"]';
  ws.scenario({ ...allNoChanges, [flag]: { plan: 1, stderr } });
  const results = await plan();
  expect(results.map((r) => r.result.status)).toEqual(['error', 'no-changes', 'no-changes']);
  expect(summaryOf(flag).error).toContain('terraform plan exited with code 1');
  expect(summaryOf(flag).error).toContain('No valid credential sources found');
  expect(existsSync(join(ws.planOut, DEMO_FLAG, flag, 'plan.json'))).toBe(false);
});

it('reports a failed init with its output and runs no plan for that stack', async () => {
  ws.scenario({
    ...allNoChanges,
    [flag]: { init: 1, plan: 0, stderr: 'Error: Failed to get existing workspaces: S3 bucket does not exist.' },
  });
  await plan();
  expect(summaryOf(flag).error).toContain('S3 bucket does not exist.');
  expect(commandsRun().filter(([stack]) => stack === flag)).toEqual([[flag, 'init']]);
});

it('writes the saved plan, plan.json and summary.json under <out>/<flag-id>/<stack>/', async () => {
  ws.scenario({ ...allNoChanges, [flag]: { plan: 2, planJson: 'flag-create.json' } });
  await plan();
  const dir = join(ws.planOut, DEMO_FLAG, flag);
  expect(readFileSync(join(dir, 'tfplan'), 'utf8')).toBe(`stand-in saved plan of ${flag}\n`);
  expect(readFileSync(join(dir, 'plan.json'), 'utf8')).toBe(
    readFileSync(join(FIXTURES, 'plans', 'flag-create.json'), 'utf8'),
  );
  expect(summaryOf(flag)).toMatchObject({
    kind: 'kitt-stack-result',
    version: 1,
    flagId: DEMO_FLAG,
    stack: flag,
    layer: 'flag',
  });
});

it('keeps the saved plans and plan JSON out of git with a .gitignore in the output directory', async () => {
  ws.scenario(allNoChanges);
  await plan();
  const ignored = readFileSync(join(ws.planOut, '.gitignore'), 'utf8').split('\n');
  expect(ignored).toEqual(expect.arrayContaining(['tfplan', 'plan.json']));
  expect(ignored).not.toContain('summary.json');
});

it('leaves a .gitignore it did not write alone', async () => {
  mkdirSync(ws.planOut, { recursive: true });
  writeFileSync(join(ws.planOut, '.gitignore'), 'node_modules/\n');
  ws.scenario(allNoChanges);
  await plan();
  expect(readFileSync(join(ws.planOut, '.gitignore'), 'utf8')).toBe('node_modules/\n');
});

it('puts the counts, fingerprint, config hash and commits in summary.json, and no sensitive value', async () => {
  ws.scenario({ ...allNoChanges, [flag]: { plan: 2, planJson: 'flag-create.json' } });
  await plan({ provenance: { headSha: 'a'.repeat(40), baseSha: 'b'.repeat(40), runId: '4242' } });
  // The same hash `kitt affected` compares, so the record and the change detection agree on the config.
  const config = readFileSync(join(ws.synthOut, DEMO_FLAG, 'stacks', flag, 'cdk.tf.json'), 'utf8');
  const summary = summaryOf(flag);
  expect(summary).toMatchObject({
    status: 'changes',
    configHash: configHash(config),
    headSha: 'a'.repeat(40),
    baseSha: 'b'.repeat(40),
    runId: '4242',
  });
  expect(summary.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  expect(summary.summary?.counts.create).toBe(3);
  expect(readFileSync(join(ws.planOut, DEMO_FLAG, flag, 'summary.json'), 'utf8')).not.toContain('s3cr3t-token-value');
});

it('empties a stack directory first, so a plan from an earlier run cannot pass for this one', async () => {
  const stale = join(ws.planOut, DEMO_FLAG, cell);
  mkdirSync(stale, { recursive: true });
  writeFileSync(join(stale, 'plan.json'), '{"stale": true}');
  ws.scenario({ ...allNoChanges, [flag]: { plan: 2, planJson: 'flag-create.json' } });
  await plan();
  expect(existsSync(join(stale, 'plan.json'))).toBe(false);
  expect(summaryOf(cell).status).toBe('waits');
});

it('in preview runs no terraform and labels every stack as read from config, not a plan', async () => {
  ws.scenario(allNoChanges);
  const results = await plan({ preview: true });
  expect(ws.calls()).toEqual([]);
  expect(results.map((r) => r.result.status)).toEqual(['preview', 'preview', 'preview']);
  expect(summaryOf(flag)).toMatchObject({
    preview: { skipped: PREVIEW_SKIPPED },
    previewResources: [
      'aws_subnet.subnet_us-east-1a_slot1_management',
      'aws_subnet.subnet_us-east-1a_slot1_worker',
      'aws_vpc.vpc',
    ],
  });
  expect(existsSync(join(ws.planOut, DEMO_FLAG, flag, 'tfplan'))).toBe(false);
});

it('reports a stack whose synthesized config is missing as an error without running terraform for it', async () => {
  rmSync(join(ws.synthOut, DEMO_FLAG, 'stacks', addons, 'cdk.tf.json'));
  ws.scenario(allNoChanges);
  const results = await plan();
  expect(results.map((r) => r.result.status)).toEqual(['no-changes', 'no-changes', 'error']);
  expect(summaryOf(addons).error).toContain('no synthesized config');
  expect(commandsRun().some(([stack]) => stack === addons)).toBe(false);
});

describe('removed stacks', () => {
  /** The demo FLAG as base synthesized it, in `<synth-out>/.base/`. */
  function baseStacks() {
    const baseOut = join(ws.synthOut, '.base');
    cpSync(join(FIXTURES, 'synth'), baseOut, { recursive: true });
    return readSynthManifest(join(baseOut, DEMO_FLAG), DEMO_FLAG);
  }
  const headStack = (name: string) =>
    readSynthManifest(join(ws.synthOut, DEMO_FLAG), DEMO_FLAG).filter((s) => s.stack === name);
  const destroying = { plan: 2, planJson: 'destroy.json' } as const;

  /** A removed cell: head still has the flag stack (changed), base also has the cell and its addons. */
  function removeCell(options: Partial<PlanStacksOptions> = {}) {
    return plan({ stacks: headStack(flag), removedStacks: baseStacks().filter((s) => s.stack !== flag), ...options });
  }

  it('plans removed stacks with -destroy after the others, in reverse apply order, in their base-synthesized directories', async () => {
    ws.scenario({ [flag]: { plan: 0, planJson: 'no-changes.json' }, [cell]: destroying, [addons]: destroying });
    const results = await removeCell();
    expect(results.map((r) => [r.stack.stack, r.destroy ?? false])).toEqual([
      [flag, false],
      [addons, true],
      [cell, true],
    ]);
    expect(ws.calls().map((c) => [c.cwd, c.args[0], c.args.includes('-destroy')])).toEqual([
      [join(ws.synthOut, DEMO_FLAG, 'stacks', flag), 'init', false],
      [join(ws.synthOut, DEMO_FLAG, 'stacks', flag), 'plan', false],
      [join(ws.synthOut, DEMO_FLAG, 'stacks', flag), 'show', false],
      ...[addons, cell].flatMap((stack) =>
        ['init', 'plan', 'show'].map((step) => [
          join(ws.synthOut, '.base', DEMO_FLAG, 'stacks', stack),
          step,
          step === 'plan',
        ]),
      ),
    ]);
  });

  it("destroys a removed FLAG's addons first and its flag stack last", async () => {
    ws.scenario({ '*': destroying });
    const results = await plan({ stacks: [], removedStacks: baseStacks() });
    expect(results.map((r) => r.stack.stack)).toEqual([addons, cell, flag]);
  });

  it("records a removed stack's destroy plan, with every delete in summary.json and the rendered warning block", async () => {
    ws.scenario({ [flag]: { plan: 0, planJson: 'no-changes.json' }, [cell]: destroying, [addons]: destroying });
    await removeCell();
    const summary = summaryOf(cell);
    expect(summary).toMatchObject({
      status: 'changes',
      configHash: configHash(
        readFileSync(join(ws.synthOut, '.base', DEMO_FLAG, 'stacks', cell, 'cdk.tf.json'), 'utf8'),
      ),
    });
    expect(summary.summary?.counts).toMatchObject({ create: 0, update: 0, delete: 2 });
    expect(readFileSync(join(ws.planOut, DEMO_FLAG, cell, 'tfplan'), 'utf8')).toBe(`stand-in saved plan of ${cell}\n`);
    const markdown = renderPlanComment({
      headSha: 'a'.repeat(40),
      stacks: [summaryOf(flag), summaryOf(addons), summary],
    });
    const warning = markdown.slice(
      markdown.indexOf('> [!CAUTION]'),
      markdown.indexOf('\n\n', markdown.indexOf('> [!CAUTION]')),
    );
    expect(warning).toContain('4 to destroy');
    expect(warning.match(/terraform_data\.(vpc|subnet)/g)).toHaveLength(4);
  });

  it('marks the summary of a removed stack as removed and labels it so in the record', async () => {
    ws.scenario({ [flag]: { plan: 0, planJson: 'no-changes.json' }, [cell]: destroying, [addons]: destroying });
    await removeCell();
    expect(summaryOf(cell).removed).toBe(true);
    expect(summaryOf(flag).removed).toBeUndefined();
    const markdown = renderPlanComment({ headSha: 'a'.repeat(40), stacks: [summaryOf(flag), summaryOf(cell)] });
    const row = markdown.split('\n').find((line) => line.startsWith(`| <code>${cell}</code>`));
    expect(row).toContain('stack removed: destroy plan');
  });

  it('never makes a destroy wait for an upstream stack with changes', async () => {
    ws.scenario({ [flag]: { plan: 2, planJson: 'flag-create.json' }, [cell]: destroying, [addons]: destroying });
    const results = await removeCell();
    expect(results.map((r) => r.result.status)).toEqual(['changes', 'changes', 'changes']);
  });

  it('refuses a stack listed both to plan and as removed', () => {
    const [stack] = headStack(flag);
    expect(() => runOrder(stack ? [stack] : [], stack ? [stack] : [])).toThrow(
      expect.objectContaining({ code: 'STACK_DUPLICATE' }),
    );
  });
});

describe('an addons stack and its cluster access', () => {
  /** An access that records when it opens and closes around which stack, and fails when asked. */
  function recordingAccess(events: string[], fail?: Error): StackAccess {
    return {
      async around(request, use) {
        events.push(`open ${request.stack.stack}`);
        if (fail) throw fail;
        try {
          return await use({ variables: { kube_api_host: 'https://127.0.0.1:40123' }, beforeDestroy: async () => {} });
        } finally {
          events.push(`close ${request.stack.stack}`);
        }
      },
    };
  }

  it('plans only the addons stack inside the access, with the variables it gives, and closes it after', async () => {
    ws.scenario(allNoChanges);
    const events: string[] = [];
    await plan({ access: recordingAccess(events) });
    expect(events).toEqual([`open ${addons}`, `close ${addons}`]);
    const addonsPlan = ws.calls().find((c) => basename(c.cwd) === addons && c.args[0] === 'plan');
    expect(addonsPlan?.args).toEqual(expect.arrayContaining(['-var', 'kube_api_host=https://127.0.0.1:40123']));
    const otherPlans = ws.calls().filter((c) => basename(c.cwd) !== addons && c.args[0] === 'plan');
    expect(otherPlans.flatMap((c) => c.args)).not.toContain('-var');
  });

  it('records a failure to reach the API as the addons stack’s error, with its code, and runs no terraform for it', async () => {
    ws.scenario(allNoChanges);
    const events: string[] = [];
    const noTunnel = new KittError({ code: 'TUNNEL_NO_CONTROL_PLANE', kind: 'external', message: 'no instance' });
    const results = await plan({ access: recordingAccess(events, noTunnel) });
    expect(results.map((r) => r.result.status)).toEqual(['no-changes', 'no-changes', 'error']);
    expect(summaryOf(addons).error).toBe('no instance [TUNNEL_NO_CONTROL_PLANE]');
    expect(commandsRun().filter(([stack]) => stack === addons)).toEqual([]);
  });

  it('opens nothing for an addons stack that waits for its cell', async () => {
    ws.scenario({ ...allNoChanges, [cell]: { plan: 2, planJson: 'cell-update.json' } });
    const events: string[] = [];
    await plan({ access: recordingAccess(events) });
    expect(events).toEqual([]);
  });

  it('lets an error that is not kitt’s (a bug) through', async () => {
    ws.scenario(allNoChanges);
    await expect(plan({ access: recordingAccess([], new TypeError('bug')) })).rejects.toThrow('bug');
  });
});
