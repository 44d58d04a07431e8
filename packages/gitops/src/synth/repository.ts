import * as path from 'node:path';
import { InputError, flagLayoutIssues, listFlagFiles, loadFlag, loadOrg, type InputIssue } from '@kitt/flag-config';
import { flagResult, prepareFlag, synthesizeAppInto } from './app';
import { notKittOutput, outputRootIssues, stageDirectory, type StagedDirectory } from './output-dir';
import type { FlagAppComposer, FlagAppInput } from './compose';
import { SYNTH_WORKER_MODULE, type SynthTask } from './synth-worker';
import type { SynthesizedStackInfo, SynthResult } from './types';
import { MAX_SYNTH_WORKERS, defaultWorkerCount, runInWorkers } from './worker-pool';

/** A worker thread loads cdktf again (about the cost of synthesizing a FLAG): by default each gets at least this many FLAGs. */
export const MIN_FLAGS_PER_WORKER = 2;

export interface SynthesizeFlagsOptions {
  /**
   * FLAG directories (or their flag.yaml), relative to `root` or absolute.
   * @default every FLAG of the repository
   */
  readonly dirs?: readonly string[];
  /** Output root; relative paths are taken from `root`. @default '<root>/cdktf.out' */
  readonly outDir?: string;
  /**
   * Worker threads that synthesize FLAGs side by side; 1 synthesizes in this
   * thread. Never more than the FLAGs or MAX_SYNTH_WORKERS.
   * @default one per core, and one per MIN_FLAGS_PER_WORKER FLAGs at most (one FLAG, or two, are synthesized in this thread)
   */
  readonly workers?: number;
  /** The module each worker thread runs. @default the synthesis worker (synth-worker) */
  readonly workerModule?: string;
  /**
   * Builds each FLAG's stacks (a test puts `terraform_data` stacks in place of AWS ones). A composer is a function,
   * which cannot cross to a worker thread: with one, every FLAG is synthesized in this thread.
   * @default composeFlagApp (every layer), in worker threads as `workers` says
   */
  readonly compose?: FlagAppComposer;
}

/**
 * Synthesizes every FLAG of the repository (or the ones named), each into
 * `<outDir>/<flag-id>`. Every FLAG is loaded, validated and planned first:
 * if any is bad, nothing is written and one `InputError` carries the issues
 * of all of them. So does an output root inside `flags/` (or leading out of
 * the repository through a link), and an existing `<outDir>/<flag-id>` that
 * is not kitt's output: kitt replaces only what it wrote.
 *
 * Then each FLAG is synthesized into a staging directory (on worker threads
 * when there are several FLAGs and workers: the output is the same bytes),
 * and only when every one succeeded are they moved into place: a FLAG that
 * fails to synthesize fails the call with its error and nothing is written.
 */
export async function synthesizeFlags(root: string, options: SynthesizeFlagsOptions = {}): Promise<SynthResult[]> {
  const outDir = path.resolve(root, options.outDir ?? 'cdktf.out');
  const inputs = validatedInputs(root, outDir, options.dirs);
  const staged: StagedDirectory[] = [];
  try {
    for (const input of inputs) staged.push(stageDirectory(outDir, input.flag.id));
    const workers = options.workers ?? Math.min(defaultWorkerCount(), Math.floor(inputs.length / MIN_FLAGS_PER_WORKER));
    const threads = options.compose ? 1 : Math.min(workers, MAX_SYNTH_WORKERS, inputs.length);
    const stacks =
      threads <= 1
        ? inputs.map((input, index) => synthesizeAppInto(input, staged[index]?.dir ?? '', options.compose))
        : await runInWorkers<SynthTask, SynthesizedStackInfo[]>(
            inputs.map((input, index) => ({ index, root, label: input.flag.dir, dir: staged[index]?.dir ?? '' })),
            { module: options.workerModule ?? SYNTH_WORKER_MODULE, size: threads },
          );
    staged.forEach((place) => place.commit());
    return inputs.map((input, index) => flagResult(input, outDir, stacks[index] ?? []));
  } catch (error) {
    // Last staged first: the first one removes the output root again if it created it.
    for (const place of staged.reverse()) place.discard();
    throw error;
  }
}

/** Every FLAG loaded, validated and planned, sorted by directory; or one `InputError` with every issue. */
function validatedInputs(root: string, outDir: string, named: readonly string[] | undefined): FlagAppInput[] {
  const dirs = named ?? listFlagFiles(root);
  // Synthesizing everything must not silently skip a FLAG whose flag.yaml was renamed or linked.
  const issues: InputIssue[] = named ? [] : flagLayoutIssues(root);
  const org = collect(issues, () => loadOrg(root));
  const inputs: FlagAppInput[] = [];
  for (const dir of dirs) {
    const flag = collect(issues, () => loadFlag(root, dir));
    const input = flag && org && collect(issues, () => prepareFlag(flag, org));
    if (input && !inputs.some((seen) => seen.flag.id === input.flag.id)) inputs.push(input);
  }
  issues.push(...outputRootIssues(root, outDir));
  // Every FLAG's output place is checked before the first is written: nothing half-written.
  for (const input of inputs) {
    const notOurs = notKittOutput(path.join(outDir, input.flag.id));
    if (notOurs) issues.push(notOurs);
  }
  if (issues.length > 0 || !org) throw new InputError(issues);
  return inputs.sort((a, b) => (a.flag.dir < b.flag.dir ? -1 : a.flag.dir > b.flag.dir ? 1 : 0));
}

function collect<T>(issues: InputIssue[], load: () => T): T | undefined {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    issues.push(...error.issues);
    return undefined;
  }
}
