import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configHash as hashConfig } from '../synth/config-hash';
import type { StackResult, StackStatus } from '../plan/record';
import { resourcesInConfig } from './config-resources';
import { runStack } from './run-stack';
import { reachStack, type StackAccess } from './stack-access';
import { orderStacks, StackOrderError, type StackToPlan } from '../stacks/stack-order';
import { stackResultOf, type ConfigFailure, type PlanProvenance, type StackOutcome } from './stack-summary';

type Env = Readonly<Record<string, string | undefined>>;

/** File names inside `<out>/<flag-id>/<stack>/`. */
export const STACK_OUT_FILES = {
  /** Terraform's saved plan (binary). Holds sensitive values in clear text: never leaves the job. */
  plan: 'tfplan',
  /** `terraform show -json` of the saved plan. Holds sensitive values in clear text: never leaves the job. */
  planJson: 'plan.json',
  /** The redacted stack result: the only file meant to be uploaded. */
  summary: 'summary.json',
} as const;

/** One stack's result and where its files are. */
export interface StackPlanResult {
  readonly stack: StackToPlan;
  /** What `summary.json` holds. */
  readonly result: StackResult;
  /** `<out>/<flag-id>/<stack>/` */
  readonly outDir: string;
  /** Planned with `plan -destroy` (a stack removed at head, from base's config). @default false */
  readonly destroy?: boolean;
}

export interface PlanStacksOptions {
  /** Stacks to plan, in any order; ordered here by their dependencies. */
  readonly stacks: readonly StackToPlan[];
  /**
   * Stacks removed at head, synthesized from base (see `synthesizeRemovedStacks`): planned as destroys
   * (`plan -destroy`) after the others, in reverse apply order (addons → cells → flag). @default none
   */
  readonly removedStacks?: readonly StackToPlan[];
  /** Root of the per-stack output: `<out>/<flag-id>/<stack>/`. */
  readonly outDir: string;
  /** Terraform executable (`terraform`, `tofu`, a path). */
  readonly binary: string;
  readonly env: Env;
  /** Stop before Terraform: synthesized config only. @default false */
  readonly preview?: boolean;
  /** Head and base commits and run id, copied into every `summary.json`. @default none */
  readonly provenance?: PlanProvenance;
  /** Network diagrams to attach, by stack name (the flag stacks of new FLAGs). @default none */
  readonly networkDiagrams?: ReadonlyMap<string, NonNullable<StackResult['networkDiagram']>>;
  /** Called after each stack, in apply order (progress lines). */
  readonly onStack?: (result: StackPlanResult) => void;
  /** Reaches an addons stack's Kubernetes API around its plan (a tunnel). @default none: the providers' defaults */
  readonly access?: StackAccess;
}

/**
 * The stack's config hash (the one `kitt affected` compares: `//` metadata
 * dropped, keys sorted) and the resources it declares.
 */
function readConfig(dir: string): { configHash: string; configResources: string[] } | ConfigFailure {
  const file = join(dir, 'cdk.tf.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { step: 'config', message: `no synthesized config at ${file}: synthesize the FLAG first` };
  }
  try {
    return { configHash: hashConfig(text), configResources: resourcesInConfig(JSON.parse(text)) };
  } catch (error) {
    return { step: 'config', message: `${file} is not valid JSON: ${(error as Error).message}` };
  }
}

/**
 * The stack this one waits for: of the stacks it depends on whose state changes
 * in this run (they have changes, or wait themselves), the last in apply order,
 * since every earlier one is applied before it. `done` is in apply order.
 */
function upstreamWithChanges(stack: StackToPlan, done: ReadonlyMap<string, StackStatus>): string | undefined {
  const changing = [...done].filter(
    ([name, status]) => stack.dependsOn.includes(name) && (status === 'changes' || status === 'waits'),
  );
  return changing.at(-1)?.[0];
}

/**
 * One stack's outcome. A destroy never waits: deleting what the state holds
 * does not depend on upstream outputs changing in this run, and the stacks
 * below it are destroyed (and planned) before it.
 */
async function planOne(
  stack: StackToPlan,
  destroy: boolean,
  done: ReadonlyMap<string, StackStatus>,
  options: PlanStacksOptions,
  outDir: string,
): Promise<{ outcome: StackOutcome; configHash?: string }> {
  const config = readConfig(stack.dir);
  if ('step' in config) return { outcome: { status: 'error', failure: config } };
  const { configHash, configResources } = config;
  if (options.preview) return { outcome: { status: 'preview', configResources }, configHash };
  const waitsFor = destroy ? undefined : upstreamWithChanges(stack, done);
  if (waitsFor) return { outcome: { status: 'waits', waitsFor, configResources }, configHash };

  const reached = await reachStack(options.access, { stack }, ({ variables }) =>
    runStack({
      dir: stack.dir,
      planFile: join(outDir, STACK_OUT_FILES.plan),
      binary: options.binary,
      env: options.env,
      // A pull request or drift plan takes no state lock (runStack's default): the apply plans again under it.
      ...(destroy ? { destroy } : {}),
      variables,
    }),
  );
  if (!reached.ok) return { outcome: { status: 'error', failure: reached.failure }, configHash };
  const run = reached.value;
  if (run.outcome === 'failed') return { outcome: { status: 'error', failure: run.failure }, configHash };
  writeFileSync(join(outDir, STACK_OUT_FILES.planJson), run.planJsonText);
  return { outcome: { status: 'planned', planJson: run.planJson }, configHash };
}

/**
 * `<out>/.gitignore`: the saved plans and plan JSON hold sensitive values in
 * clear text, so they must never be committed, uploaded as artifacts or
 * cached, wherever `--out` points. Only `summary.json` (redacted) leaves the job.
 */
export const OUT_GITIGNORE = `# Written by kitt plan. ${STACK_OUT_FILES.plan} and ${STACK_OUT_FILES.planJson} hold sensitive values in clear text:
# never commit, upload or cache them. Only ${STACK_OUT_FILES.summary} (redacted) may leave the job.
${STACK_OUT_FILES.plan}
${STACK_OUT_FILES.planJson}
`;

/** Writes `OUT_GITIGNORE`, but never over a `.gitignore` kitt did not write (`--out .` must not clobber the repo's). */
function writeOutGitignore(outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, '.gitignore');
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  if (existing === undefined || existing.startsWith('# Written by kitt plan.')) writeFileSync(file, OUT_GITIGNORE);
}

function emptyDirectory(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}

function writeSummary(stackOutDir: string, result: StackResult): void {
  writeFileSync(join(stackOutDir, STACK_OUT_FILES.summary), `${JSON.stringify(result, null, 2)}\n`);
}

/**
 * Records a stack that could not be planned at all (e.g. listed by `kitt
 * affected` but absent from the synthesized output) as an error in
 * `<outDir>/<flag-id>/<stack>/summary.json`, so the record shows it.
 */
export function recordUnplannedStack(
  outDir: string,
  stack: Pick<StackToPlan, 'flagId' | 'stack' | 'layer'>,
  reason: string,
  provenance: PlanProvenance = {},
): StackResult {
  const stackOutDir = join(outDir, stack.flagId, stack.stack);
  emptyDirectory(stackOutDir);
  const result = stackResultOf(
    stack,
    { status: 'error', failure: { step: 'config', message: reason } },
    undefined,
    provenance,
  );
  writeSummary(stackOutDir, result);
  return result;
}

/**
 * The order of a run: the stacks to plan in apply order (flag → cells →
 * addons), then the removed ones in reverse apply order (addons → cells →
 * flag), the order their destroys are applied in. A name in both lists is an error.
 */
export function runOrder(
  stacks: readonly StackToPlan[],
  removed: readonly StackToPlan[],
): { stack: StackToPlan; destroy: boolean }[] {
  const names = new Set(stacks.map((s) => s.stack));
  const both = removed.find((s) => names.has(s.stack));
  if (both) throw new StackOrderError('STACK_DUPLICATE', `stack '${both.stack}' is listed both to plan and as removed`);
  return [
    ...orderStacks(stacks).map((stack) => ({ stack, destroy: false })),
    ...orderStacks(removed)
      .reverse()
      .map((stack) => ({ stack, destroy: true })),
  ];
}

/**
 * Plans stacks in apply order (flag → cells → addons), then the removed
 * stacks' destroys in reverse apply order, and writes each one's files under
 * `<outDir>/<flag-id>/<stack>/`. A stack whose upstream has changes in this run
 * waits (a plan against today's state would be wrong); a failed stack does not
 * stop the others. Each stack's directory is emptied first, so no file from an
 * earlier run passes for this one.
 */
export async function planStacks(options: PlanStacksOptions): Promise<StackPlanResult[]> {
  const results: StackPlanResult[] = [];
  const done = new Map<string, StackStatus>();
  const order = runOrder(options.stacks, options.removedStacks ?? []);
  writeOutGitignore(options.outDir);
  for (const { stack, destroy } of order) {
    const outDir = join(options.outDir, stack.flagId, stack.stack);
    emptyDirectory(outDir);
    const { outcome, configHash } = await planOne(stack, destroy, done, options, outDir);
    const diagram = options.networkDiagrams?.get(stack.stack);
    const result: StackResult = {
      ...stackResultOf(stack, outcome, configHash, options.provenance ?? {}),
      ...(destroy ? { removed: true } : {}),
      ...(diagram && !destroy ? { networkDiagram: diagram } : {}),
    };
    writeSummary(outDir, result);
    done.set(stack.stack, result.status);
    const planned: StackPlanResult = { stack, result, outDir, ...(destroy ? { destroy } : {}) };
    results.push(planned);
    options.onStack?.(planned);
  }
  return results;
}
