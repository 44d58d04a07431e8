/**
 * Journeys with the real terraform binary and the state in a real S3 API (s3rver on loopback, reached through
 * org.yaml `state.endpoint`): kitt's synthesis with its state backend, outputs and cross-stack wiring (a test stack
 * factory puts `terraform_data` in place of AWS resources), `kitt affected` and `kitt plan`'s runner, the record,
 * the guard and the apply. A new FLAG from its pull request to a plan without changes; a change to an applied one,
 * and the same change after its state moved. Skipped where terraform is not on PATH.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { stateKey, type FlagTriple } from '@kitt/flag-config';
import type { Synthesizer } from '../checkout/synthesize-tree';
import { findAffected } from '../affected/find-affected';
import { readPlanMetadata } from '../plan-markdown/render';
import { synthesizeFlags } from '../synth/repository';
import { findExecutable } from '../terraform/binary';
import { runPlan } from '../terraform/run-plan';
import type { StackRequest } from '../terraform/select-stacks';
import { ApplyJourney, FLAG_ID, STACKS, type FlagDoc } from './__fixtures__/journey';
import { S3_STORE_CREDENTIALS, S3Store } from './__fixtures__/s3-store';
import { composeTerraformDataApp } from './__fixtures__/terraform-data-stacks';
import { synthesizedStacks } from './stack-source';

const TERRAFORM = findExecutable('terraform', process.env);
if (!TERRAFORM)
  console.warn('run-apply.s3.spec: terraform is not on PATH: the journey with real state in S3 is skipped');
const withTerraform = TERRAFORM ? describe : describe.skip;

const BUCKET = 'kitt-tfstate-example';
const FLAG: FlagTriple = { customer: 'payments', environment: 'dev', region: 'eu-west-2' };
const FLAG_DIR = 'flags/payments/dev/eu-west-2';

// Real terraform: init, plan and apply per stack, several times over.
jest.setTimeout(240_000);

let journey: ApplyJourney;
let store: S3Store;
afterEach(async () => {
  await journey?.close();
  await store?.close();
});

/** What the real terraform runs with: no checkpoint, no instance metadata, the store's credentials, no ~/.aws. */
function terraformEnv(): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    HOME: journey.root,
    KITT_TERRAFORM: TERRAFORM,
    CHECKPOINT_DISABLE: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
    TF_IN_AUTOMATION: '1',
    ...S3_STORE_CREDENTIALS,
  };
}

/** `kitt synth` of a tree, with the test stack factory in place of kitt's layers. */
const terraformDataSynthesizer: Synthesizer = async ({ treeDir, flagDirs, outDir }) => {
  await synthesizeFlags(treeDir, { dirs: flagDirs, outDir, compose: composeTerraformDataApp });
};

/** main whose flags/org.yaml keeps the state in the store, through `state.endpoint` and `state.usePathStyle`. */
async function startWithStore(): Promise<void> {
  journey = await ApplyJourney.start(undefined, { withoutFlag: true });
  store = await S3Store.start(BUCKET);
  const file = join(journey.repoDir, 'flags', 'org.yaml');
  const org = parse(readFileSync(file, 'utf8')) as { state: Record<string, unknown> };
  org.state = { bucket: BUCKET, region: 'eu-west-2', endpoint: store.endpoint, usePathStyle: true };
  writeFileSync(file, stringify(org));
  journey.commit('Keep the state in the S3-compatible store');
}

/** `kitt affected --json` between main and the branch's head, as plan.yml runs it: the stacks file. */
async function affected(head: string): Promise<string> {
  const report = await findAffected({
    cwd: journey.repoDir,
    base: 'main',
    head,
    detector: 'paths',
    synthesize: terraformDataSynthesizer,
  });
  const dir = join(journey.root, 'affected');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${head}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

/** `kitt plan`'s runner with the real terraform (pull request plans take no lock). */
function plan(stacks: StackRequest, head: string, runId?: string) {
  return runPlan({
    repoDir: journey.repoDir,
    env: { ...terraformEnv(), ...(runId ? { GITHUB_RUN_ID: runId } : {}) },
    stacks,
    outDir: join(journey.root, 'kitt-plans', runId ?? 'main'),
    synthOut: join(journey.root, 'kitt-synth'),
    head,
    compose: composeTerraformDataApp,
  });
}

function apply() {
  return journey.apply({
    env: terraformEnv(),
    stackSource: synthesizedStacks(journey.repoDir, journey.synthOut, composeTerraformDataApp),
  });
}

const execFileAsync = promisify(execFile);

/** Runs the real terraform in a stack directory; never synchronously: s3rver answers from this process's event loop. */
async function terraform(dir: string, ...args: string[]): Promise<void> {
  await execFileAsync(TERRAFORM as string, args, { cwd: dir, env: terraformEnv() as NodeJS.ProcessEnv });
}

/** main with the FLAG, its stacks applied straight with terraform: the state in S3 the next journeys start from. */
async function startApplied(): Promise<void> {
  await startWithStore();
  journey.addFlag();
  journey.commit('Add the FLAG payments-dev-eu-west-2');
  const source = synthesizedStacks(journey.repoDir, join(journey.root, 'bootstrap'), composeTerraformDataApp);
  const stacks = await source.current([FLAG_ID]);
  // The manifest lists stacks by name: the flag stack, whose outputs the cell reads, goes first.
  for (const stack of [...stacks.filter((s) => s.layer === 'flag'), ...stacks.filter((s) => s.layer !== 'flag')]) {
    await terraform(stack.dir, 'init', '-input=false');
    await terraform(stack.dir, 'apply', '-input=false', '-auto-approve');
  }
}

function setWorkerMaxSize(doc: FlagDoc, size: number): void {
  const cell = doc.cells?.find((c) => c.name === 'a1') as Record<string, unknown> | undefined;
  if (cell) cell.workerMaxSize = size;
}

/** A branch that sets cell a1's workerMaxSize to 12, planned (kitt affected, kitt plan) and recorded on PR 7. */
async function growCellOnPullRequest() {
  journey.git('checkout', '--quiet', '-b', 'grow');
  journey.editFlag((doc) => setWorkerMaxSize(doc, 12));
  const head = journey.commit('Let cell a1 grow to 12 workers');
  const stacksFile = await affected(head);
  return journey.planAndRecord(7, {
    planner: async (sha, runId) => (await plan({ kind: 'affected', stacksFile, flagDirs: [] }, sha, runId)).results,
  });
}

interface StateFile {
  outputs: Record<string, { value: unknown }>;
  resources: { type: string; name: string; instances: { attributes: { id: string; input: { value: unknown } } }[] }[];
}

async function stateOf(layer: 'flag' | 'cell', cell?: string): Promise<StateFile | undefined> {
  const text = await store.object(stateKey(FLAG, layer, cell));
  return text === undefined ? undefined : (JSON.parse(text) as StateFile);
}

withTerraform('a new FLAG with the real terraform, its state in S3 (s3rver)', () => {
  it('applies the flag stack on merge, then the cell reading it from S3, after which a plan shows no changes', async () => {
    await startWithStore();

    // A branch adds the FLAG; plan.yml: kitt affected, kitt plan; the record workflow: kitt comment.
    journey.git('checkout', '--quiet', '-b', 'add-flag');
    journey.addFlag();
    const head = journey.commit('Add the FLAG payments-dev-eu-west-2');
    const stacksFile = await affected(head);
    store.clearWrites();
    const { results } = await journey.planAndRecord(7, {
      planner: async (sha, runId) => (await plan({ kind: 'affected', stacksFile, flagDirs: [] }, sha, runId)).results,
    });
    expect(results.map((r) => [r.stack, r.status])).toEqual([
      [STACKS.flag, 'changes'],
      [STACKS.cellA1, 'waits'],
    ]);
    // A pull request plan writes nothing to the store: no state, and no lock (-lock=false).
    expect(store.writes()).toEqual([]);

    journey.approve(7);
    journey.merge(7, 'add-flag');
    const first = await apply();

    // The apply holds the S3-native lock (use_lockfile) while it writes the state, and releases it.
    const flagKey = stateKey(FLAG, 'flag');
    expect(store.writes().filter((w) => w.key.startsWith(flagKey))).toEqual([
      { action: 'put', key: `${flagKey}.tflock` }, // the re-plan on main, under the lock
      { action: 'delete', key: `${flagKey}.tflock` },
      { action: 'put', key: `${flagKey}.tflock` }, // the apply
      { action: 'put', key: flagKey },
      { action: 'delete', key: `${flagKey}.tflock` },
    ]);

    expect(first.results.map((r) => [r.stack, r.outcome])).toEqual([
      [STACKS.flag, 'applied'],
      [STACKS.cellA1, 'needs-approval'],
    ]);
    const flagState = await stateOf('flag');
    expect(flagState?.resources.filter((r) => r.type === 'terraform_data').length).toBeGreaterThan(1);
    const vpcId = flagState?.outputs.vpc_id?.value;
    expect(typeof vpcId).toBe('string');
    expect(await stateOf('cell', 'a1')).toBeUndefined();

    // The cell's plan, made on main now that the flag stack's outputs are in S3, goes to the PR for approval.
    expect(first.followUps).toHaveLength(1);
    const followUp = journey.github.commentsOn(7).find((c) => c.id === first.followUps[0]);
    const shown = readPlanMetadata(followUp?.body ?? '');
    expect(shown?.stacks.map((s) => [s.stack, s.status])).toEqual([[STACKS.cellA1, 'changes']]);

    // Its approval: the cell's plan on a pull request of its own, recorded, approved, merged.
    journey.git('checkout', '--quiet', '-b', 'approve-cells');
    journey.commit('Apply the cells of payments-dev-eu-west-2');
    const cells = await journey.planAndRecord(8, {
      planner: async (sha, runId) => (await plan({ kind: 'flags', flagDirs: [FLAG_DIR] }, sha, runId)).results,
    });
    expect(cells.results.map((r) => [r.stack, r.status])).toEqual([
      [STACKS.flag, 'no-changes'],
      [STACKS.cellA1, 'changes'],
    ]);
    // The same plan as the one the apply posted: the remote state was read from S3 both times.
    expect(cells.results[1]?.fingerprint).toBe(shown?.stacks[0]?.fingerprint);
    journey.approve(8);
    journey.merge(8, 'approve-cells');
    const second = await apply();

    expect(second.results.map((r) => [r.stack, r.outcome])).toEqual([
      [STACKS.flag, 'no-changes'],
      [STACKS.cellA1, 'applied'],
    ]);
    const cellState = await stateOf('cell', 'a1');
    const nodes = cellState?.resources.find((r) => r.type === 'terraform_data' && r.name === 'nodes');
    expect(nodes?.instances[0]?.attributes.input.value).toMatchObject({ vpc: vpcId });

    const final = await plan({ kind: 'flags', flagDirs: [FLAG_DIR] }, journey.git('rev-parse', 'HEAD'));
    expect(final.results.map((r) => [r.stack, r.status])).toEqual([
      [STACKS.flag, 'no-changes'],
      [STACKS.cellA1, 'no-changes'],
    ]);
  });
});

withTerraform('a change to an applied FLAG with the real terraform, its state in S3 (s3rver)', () => {
  const nodesInput = async () =>
    (await stateOf('cell', 'a1'))?.resources.find((r) => r.name === 'nodes')?.instances[0]?.attributes.input.value;

  it('applies the reviewed change to a cell exactly as planned, after which a plan shows no changes', async () => {
    await startApplied();
    const { results } = await growCellOnPullRequest();
    expect(results.map((r) => [r.stack, r.status])).toEqual([[STACKS.cellA1, 'changes']]);
    journey.approve(7);
    journey.merge(7, 'grow');

    const outcome = await apply();

    expect(outcome.results.map((r) => [r.stack, r.outcome, r.plannedFingerprint])).toEqual([
      [STACKS.cellA1, 'applied', results[0]?.fingerprint],
    ]);
    expect(await nodesInput()).toMatchObject({ workerMaxSize: 12 });
    const final = await plan({ kind: 'flags', flagDirs: [FLAG_DIR] }, journey.git('rev-parse', 'HEAD'));
    expect(final.results.map((r) => r.status)).toEqual(['no-changes', 'no-changes']);
  });

  it('applies nothing when the state in S3 moved after the review: the new plan goes to the PR for approval', async () => {
    await startApplied();
    await growCellOnPullRequest();
    journey.approve(7);
    journey.merge(7, 'grow');
    // Someone changes the cell outside kitt: its state in S3 is no longer what the reviewed plan started from.
    const drift = join(journey.root, 'drift');
    mkdirSync(drift);
    const synthesized = join(journey.root, 'bootstrap', FLAG_ID, 'stacks', STACKS.cellA1, 'cdk.tf.json');
    const config = JSON.parse(readFileSync(synthesized, 'utf8'));
    config.resource.terraform_data.nodes.input.workerMaxSize = 7;
    writeFileSync(join(drift, 'cdk.tf.json'), JSON.stringify(config));
    await terraform(drift, 'init', '-input=false');
    await terraform(drift, 'apply', '-input=false', '-auto-approve');

    const outcome = await apply();

    expect(outcome.results.map((r) => [r.stack, r.outcome])).toEqual([[STACKS.cellA1, 'needs-approval']]);
    expect(outcome.followUps).toHaveLength(1);
    expect(await nodesInput()).toMatchObject({ workerMaxSize: 7 });
  });
});
