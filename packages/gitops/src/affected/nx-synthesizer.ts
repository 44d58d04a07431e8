import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { promisify } from 'node:util';
import { FLAG_FILE_NAME, flagIdOfDir, flagProjectName, parseFlagFile } from '@kitt/flag-config';
import { prebuildTree, treeKittEnv, type SynthesisRequest, type Synthesizer } from '../checkout/synthesize-tree';
import { SYNTH_WORKERS_ENV } from '../synth/worker-pool';
import { AffectedError, AffectedErrorCode } from './errors';
import { nxBin } from './nx-projects';

const run = promisify(execFile);

/**
 * Synthesis through Nx's cache: `nx run-many -t synth` of the FLAGs' projects
 * in the tree, with the cache (and the database that indexes it) of the
 * repository kitt runs in, whichever tree asks. A FLAG whose every input to
 * its config (its directory, org.yaml, the packages' sources, the lock file:
 * the `synth` target's inputs) hashes as in an earlier run, at this commit or
 * any other, is restored from the cache; the rest are synthesized, in one
 * `kitt synth` (the batch executor), and cached for the next run.
 *
 * Output lands where the target writes it (`<tree>/<outDir>/<flag-id>`, as
 * `nx run-many -t synth` leaves it) and is linked from the request's `outDir`,
 * for as long as the tree lives.
 */

/**
 * Nx's project graph and hashing cost about as much as synthesizing this many
 * FLAGs: fewer are synthesized by kitt synth directly, cache or not.
 */
export const NX_MIN_FLAGS = 10;

export interface NxSynthesizerOptions {
  /** The repository kitt runs in: its Nx cache serves every tree. */
  readonly cacheRoot: string;
  /** Fewer FLAGs than this are synthesized by the fallback. @default NX_MIN_FLAGS */
  readonly minFlags?: number;
  /**
   * Worker threads of each Nx run. Nx runs one at a time (each side's Nx,
   * batch process and kitt synth hold hundreds of megabytes), so each may use
   * every core. @default the request's share
   */
  readonly workers?: number;
  /** The environment Nx runs with. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** How much of a synthesis Nx answered from its cache. */
export interface NxSynthesisOutcome {
  readonly tasks: number;
  readonly fromCache: number;
}

/** What `synthesizeWithNx` throws when Nx could not answer (kitt synth then runs instead). */
const NX_FAILURES: ReadonlySet<string> = new Set([AffectedErrorCode.SYNTH_FAILED, AffectedErrorCode.NX_FAILED]);

/** Nx in-process and offline: no daemon, no cloud, no terminal UI. */
const NX_ENV = { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NX_INTERACTIVE: 'false' };

/** The FLAG plugin's output root in a tree (nx.json), or undefined when the tree's Nx cannot synthesize FLAGs by batch. */
export function nxSynthOutRoot(treeDir: string): string | undefined {
  if (!existsSync(join(treeDir, 'packages', 'flag-config', 'executors.json'))) return undefined;
  let nxJson: { plugins?: (string | { plugin?: string; options?: { outDir?: unknown } })[] };
  try {
    nxJson = JSON.parse(readFileSync(join(treeDir, 'nx.json'), 'utf8'));
  } catch {
    return undefined;
  }
  const plugin = (nxJson.plugins ?? []).find((entry) =>
    (typeof entry === 'string' ? entry : (entry.plugin ?? '')).includes('flag-config'),
  );
  if (plugin === undefined) return undefined;
  const outDir = typeof plugin === 'string' ? undefined : plugin.options?.outDir;
  return typeof outDir === 'string' && outDir !== '' ? outDir : 'cdktf.out';
}

/** Nx's `Cache: 3/5 hit` (or its older wording), as numbers; undefined when it printed neither. */
export function parseCacheHits(stdout: string): NxSynthesisOutcome | undefined {
  const modern = /Cache:\s+(\d+)\/(\d+) hit/.exec(stdout);
  if (modern) return { fromCache: Number(modern[1]), tasks: Number(modern[2]) };
  const older = /for (\d+) out of (\d+) tasks/.exec(stdout);
  return older ? { fromCache: Number(older[1]), tasks: Number(older[2]) } : undefined;
}

/** The Nx cache directory of the repository at `root` (nx.json `cacheDirectory`, else `.nx/cache`). */
function cacheDirectoryOf(root: string): string {
  let configured: unknown;
  try {
    configured = (JSON.parse(readFileSync(join(root, 'nx.json'), 'utf8')) as { cacheDirectory?: unknown })
      .cacheDirectory;
  } catch {
    configured = undefined;
  }
  const dir = typeof configured === 'string' && configured !== '' ? configured : join('.nx', 'cache');
  return isAbsolute(dir) ? dir : join(root, dir);
}

/** Synthesizes `request` through Nx's cache; see the top of this file. */
export async function synthesizeWithNx(
  request: SynthesisRequest,
  options: NxSynthesizerOptions,
): Promise<NxSynthesisOutcome> {
  const { treeDir, flagDirs, outDir, workers } = request;
  const outRoot = nxSynthOutRoot(treeDir) ?? 'cdktf.out';
  const projects = flagDirs.map((dir) => {
    const flag = parseFlagFile(`${dir}/${FLAG_FILE_NAME}`);
    if (!flag) throw new AffectedError(AffectedErrorCode.SYNTH_FAILED, `${dir} is not a FLAG directory`, dir);
    return flagProjectName(flag);
  });
  const args = [nxBin(treeDir), 'run-many', '-t', 'synth', `--projects=${projects.join(',')}`, '--outputStyle=static'];
  let stdout: string;
  try {
    ({ stdout } = await run(process.execPath, args, {
      cwd: treeDir,
      env: {
        ...(options.env ?? process.env),
        ...NX_ENV,
        // One cache for every tree, and the database that says what is in it (Nx finds hits there).
        // Its directory holds the project graph's cache too, checked against the tree's files before use.
        NX_CACHE_DIRECTORY: cacheDirectoryOf(options.cacheRoot),
        NX_WORKSPACE_DATA_DIRECTORY: join(options.cacheRoot, '.nx', 'workspace-data'),
        // The FLAG plugin in Nx's own process: one process less, and its memory.
        NX_ISOLATE_PLUGINS: 'false',
        ...treeKittEnv(treeDir, flagDirs.length),
        ...(workers === undefined ? {} : { [SYNTH_WORKERS_ENV]: String(workers) }),
      },
      maxBuffer: 256 * 1024 * 1024,
      encoding: 'utf8',
    }));
  } catch (error) {
    const failed = error as { stdout?: unknown; stderr?: unknown; message: string };
    const output = `${String(failed.stdout ?? '')}\n${String(failed.stderr ?? '')}`.trim() || failed.message;
    throw new AffectedError(
      AffectedErrorCode.SYNTH_FAILED,
      `nx run-many -t synth failed in ${treeDir}:\n${output.split('\n').slice(-40).join('\n')}`,
      treeDir,
    );
  }
  // Linked, not copied: the output is read before the tree goes, and a side's output is hundreds of megabytes.
  mkdirSync(outDir, { recursive: true });
  for (const dir of flagDirs) {
    const id = flagIdOfDir(dir);
    const target = join(outDir, id);
    rmSync(target, { recursive: true, force: true });
    symlinkSync(join(treeDir, outRoot, id), target, 'dir');
  }
  return parseCacheHits(stdout) ?? { tasks: projects.length, fromCache: 0 };
}

/**
 * `kitt affected`'s synthesis: through Nx's cache (`synthesizeWithNx`) in a
 * tree whose Nx has the FLAG plugin's batch executor, else `fallback` (kitt
 * synth of the tree's own code: a commit from before the executor, or fewer
 * FLAGs than `minFlags`, where Nx costs more than it can save). Should Nx
 * fail (a FLAG that does not synthesize, or Nx itself), `fallback` runs: the
 * same output, or kitt synth's own error about the FLAG.
 */
export function nxCachedSynthesizer(options: NxSynthesizerOptions, fallback: Synthesizer): Synthesizer {
  let queue: Promise<unknown> = Promise.resolve();
  return async (request) => {
    if (request.flagDirs.length === 0) return;
    if (request.flagDirs.length < (options.minFlags ?? NX_MIN_FLAGS)) return fallback(request);
    if (nxSynthOutRoot(request.treeDir) === undefined) return fallback(request);
    const workers = options.workers ?? request.workers;
    // The tree's kitt builds while the Nx run ahead of it synthesizes.
    const built = prebuildTree(request.treeDir, request.flagDirs.length);
    const turn = Promise.all([queue, built]).then(() =>
      synthesizeWithNx({ ...request, ...(workers ? { workers } : {}) }, options),
    );
    queue = turn.catch(() => undefined);
    try {
      await turn;
    } catch (error) {
      const nxFailed = error instanceof AffectedError && NX_FAILURES.has(error.code);
      if (!nxFailed) throw error;
      await fallback(request);
    }
  };
}
