import type { ProjectConfiguration, TargetConfiguration } from '@nx/devkit';
import { flagDir, flagId, flagProjectName, parseFlagFile, type FlagTriple } from '../naming';

/**
 * The pure half of the Nx plugin: from a `flag.yaml` path to the Nx project
 * that synthesizes that FLAG. No file is read here (not even the YAML: the
 * path alone names the FLAG), so a broken `flag.yaml` is still a project and
 * its `synth` target reports the error like `kitt synth` does.
 */

/**
 * The workspace packages a FLAG's synthesis runs through. FLAG projects depend
 * on them implicitly, so a change to any of them (the Nx plugin in
 * `@kitt/flag-config` included) marks every FLAG affected and re-keys its cache.
 */
export const SYNTH_PACKAGES: readonly string[] = [
  '@kitt/allocator',
  '@kitt/flag-config',
  '@kitt/flag-layer',
  '@kitt/cell-layer',
  '@kitt/addons-layer',
  '@kitt/gitops',
];

/** npm packages whose version changes the synthesized Terraform. */
export const SYNTH_EXTERNAL_PACKAGES: readonly string[] = [
  'cdktf',
  'constructs',
  '@cdktf/provider-aws',
  '@cdktf/provider-kubernetes',
  '@cdktf/provider-helm',
];

export interface FlagProjectOptions {
  /** Name of the inferred target. @default 'synth' */
  readonly targetName?: string;
  /** Output root, relative to the workspace root (as `kitt synth --out`). @default 'cdktf.out' */
  readonly outDir?: string;
}

/** What a FLAG's path says about it. */
export interface FlagCoordinates extends FlagTriple {
  /** `<customer>-<environment>-<region>` */
  readonly id: string;
  /** The FLAG's directory, workspace-relative: the Nx project root. */
  readonly root: string;
}

/** A FLAG's coordinates from its workspace-relative `flag.yaml` path; undefined for any other path. */
export function flagCoordinates(file: string): FlagCoordinates | undefined {
  const flag = parseFlagFile(file);
  return flag && { id: flagId(flag), ...flag, root: flagDir(flag) };
}

/** The executor of the `synth` targets (`./synth-executor`): Nx batches every FLAG its cache does not answer into one `kitt synth`. */
export const SYNTH_EXECUTOR = '@kitt/flag-config:synth';

/** The cacheable target that runs `kitt synth` for one FLAG. */
export function buildSynthTarget(flag: FlagCoordinates, options: FlagProjectOptions = {}): TargetConfiguration {
  const outDir = normaliseOutDir(options.outDir ?? 'cdktf.out');
  return {
    executor: SYNTH_EXECUTOR,
    options: { outDir },
    cache: true,
    inputs: [
      '{projectRoot}/**/*',
      '{workspaceRoot}/flags/org.yaml',
      '{workspaceRoot}/scripts/kitt.mjs',
      // Every npm dependency's version (yaml renders cloud-init, ip-num does the address math, ...).
      '{workspaceRoot}/package-lock.json',
      // Sources of every package the synthesis runs through (the implicit dependencies below).
      '^source',
      { externalDependencies: [...SYNTH_EXTERNAL_PACKAGES] },
    ],
    outputs: [`{workspaceRoot}/${outDir}/${flag.id}`],
    metadata: {
      description: `Synthesize FLAG ${flag.id} (every stack of its cdktf App) into ${outDir}/${flag.id}`,
      technologies: ['cdktf', 'terraform'],
    },
  };
}

/** The whole inferred project of one FLAG (without `root`, which Nx takes from the map key). */
export function buildFlagProject(
  flag: FlagCoordinates,
  options: FlagProjectOptions = {},
): Omit<ProjectConfiguration, 'root'> & { root: string } {
  return {
    root: flag.root,
    name: flagProjectName(flag),
    projectType: 'application',
    tags: ['type:flag', `customer:${flag.customer}`, `environment:${flag.environment}`, `region:${flag.region}`],
    implicitDependencies: [...SYNTH_PACKAGES],
    targets: { [options.targetName ?? 'synth']: buildSynthTarget(flag, options) },
  };
}

/** `./cdktf.out/` → `cdktf.out`: the form used in the command and in the output path. */
function normaliseOutDir(outDir: string): string {
  const trimmed = outDir.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
  if (trimmed === '' || trimmed.startsWith('/') || trimmed.split('/').includes('..')) {
    throw new Error(`flag Nx plugin: outDir must be a path inside the workspace, got '${outDir}'`);
  }
  return trimmed;
}
