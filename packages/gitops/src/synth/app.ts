import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, TerraformBackend } from 'cdktf';
import { NetworkPlanError, planNetwork } from '@kitt/allocator';
import {
  InputError,
  KittError,
  StackInputError,
  cellRequirementIssues,
  networkInputOf,
  type Flag,
  type OrgConfig,
} from '@kitt/flag-config';
import { composeFlagApp, type ComposedStack, type FlagAppComposer, type FlagAppInput } from './compose';
import { replaceDirectoryWith } from './output-dir';
import { configHashOf } from './config-hash';
import { countResources } from './summary';
import { releasingAppTokens } from './token-registry';
import type { SynthesizedStackInfo, SynthResult } from './types';

/** Synthesis that cannot go on for a reason that is not the FLAG's input. */
export class SynthError extends KittError {
  constructor(
    /** Stable: `STACK_WITHOUT_BACKEND`, `SYNTH_HCL_OUTPUT`. */
    code: string,
    message: string,
  ) {
    super({ code, kind: 'external', message });
  }
}

/**
 * Validates and plans one FLAG: everything that can be wrong with its input,
 * found before anything is written. Cross-FLAG rules are `kitt check`'s, so a
 * FLAG's synthesis depends on its own files only. Throws `InputError`.
 */
export function prepareFlag(flag: Flag, org: OrgConfig): FlagAppInput {
  const cellIssues = cellRequirementIssues(flag, org);
  if (cellIssues.length > 0) throw new InputError(cellIssues);
  try {
    return { flag, org, plan: planNetwork(networkInputOf(flag)) };
  } catch (error) {
    if (error instanceof NetworkPlanError) {
      throw new InputError(error.issues.map((issue) => ({ ...issue, file: flag.file })));
    }
    throw error;
  }
}

/**
 * Synthesizes one FLAG's cdktf App in-process into `<outDir>/<flag-id>`:
 * `manifest.json` (cdktf's own: stacks and their dependencies) and
 * `stacks/<stack>/cdk.tf.json`. The output is a function of the FLAG and
 * `org.yaml` only: byte-identical across runs and machines. A bad FLAG throws
 * `InputError` and leaves the previous output (or nothing) in place.
 */
export function synthesizeFlag(flag: Flag, org: OrgConfig, outDir: string): SynthResult {
  return writeFlagApp(prepareFlag(flag, org), outDir);
}

/**
 * The writing half of `synthesizeFlag`, for callers that prepared every FLAG first.
 * @param compose builds the App's stacks. @default composeFlagApp (every layer of the FLAG)
 */
export function writeFlagApp(
  input: FlagAppInput,
  outDir: string,
  compose: FlagAppComposer = composeFlagApp,
): SynthResult {
  const parent = path.resolve(outDir);
  const stacks = replaceDirectoryWith(parent, input.flag.id, (staging) => synthesizeAppInto(input, staging, compose));
  return flagResult(input, parent, stacks);
}

/** What `kitt synth` reports of a FLAG written to `<parent>/<flag-id>`. */
export function flagResult(input: FlagAppInput, parent: string, stacks: SynthesizedStackInfo[]): SynthResult {
  return { flagId: input.flag.id, flagDir: input.flag.dir, outDir: path.join(parent, input.flag.id), stacks };
}

/**
 * Synthesizes one FLAG's App into `dir`, an empty directory: the step that
 * runs in a worker thread when many FLAGs are synthesized at once.
 * @param compose builds the App's stacks. @default composeFlagApp (every layer of the FLAG)
 */
export function synthesizeAppInto(
  input: FlagAppInput,
  dir: string,
  compose: FlagAppComposer = composeFlagApp,
): SynthesizedStackInfo[] {
  // No stack traces in the manifest's annotations: they hold absolute paths of this machine.
  const app = new App({ outdir: dir, stackTraces: false });
  if (app.hclOutput) {
    throw new SynthError(
      'SYNTH_HCL_OUTPUT',
      'SYNTH_HCL_OUTPUT=true is set: kitt synthesizes cdk.tf.json only; unset it.',
    );
  }
  return releasingAppTokens(() => {
    const composed = withoutTokenTraces(() => asInputErrors(() => compose(app, input)));
    composed.forEach(requireBackend);
    withoutTokenTraces(() => asInputErrors(() => app.synth()));
    return composed.map((entry) => describeStack(entry, dir));
  });
}

/**
 * cdktf captures and formats a full stack trace for every token it creates,
 * only ever shown in its own error messages: about a third of building a
 * stack. While `run` runs, a trace read at once formats as empty; an error
 * thrown from `run` formats its stack when it is read, after, as usual.
 */
function withoutTokenTraces<T>(run: () => T): T {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = () => '';
  try {
    return run();
  } finally {
    Error.prepareStackTrace = previous;
  }
}

/** Without a backend cdktf writes `path.join(process.cwd(), ...)` into the config: run-dependent, and state on a laptop. */
function requireBackend({ stack }: ComposedStack): void {
  if (!stack.node.findAll().some((node) => TerraformBackend.isBackend(node))) {
    throw new SynthError(
      'STACK_WITHOUT_BACKEND',
      `stack ${stack.node.id} declares no backend: every kitt stack keeps its state in the org's S3 bucket`,
    );
  }
}

function describeStack({ stack, layer, cell }: ComposedStack, flagOutDir: string): SynthesizedStackInfo {
  const name = stack.node.id;
  const configFile = `stacks/${name}/cdk.tf.json`;
  const config: unknown = JSON.parse(readFileSync(path.join(flagOutDir, configFile), 'utf8'));
  return {
    name,
    layer,
    ...(cell === undefined ? {} : { cell }),
    dependsOn: stack.dependencies.map((dependency) => dependency.node.id).sort(),
    configFile,
    configHash: configHashOf(config),
    resourceCounts: countResources(config),
  };
}

/** The flag, cell and addons layers report a FLAG they cannot build (NACL rule limit, ...) as one issue: make it an input error like any other. */
function asInputErrors<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof StackInputError) {
      const { code, file, path: field, message, received, expected } = error;
      throw new InputError([{ code, file, path: field, message, received, expected }]);
    }
    throw error;
  }
}
