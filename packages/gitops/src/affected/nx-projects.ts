import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { AffectedError, AffectedErrorCode } from './errors';

const run = promisify(execFile);

/** Asks the workspace's Nx for project names; injectable so tests can stand in for Nx. */
export type NxProjectLister = (query: NxProjectQuery) => Promise<string[]>;

export interface NxProjectQuery {
  /** Workspace root. */
  readonly cwd: string;
  /** Only the projects affected between `base` and `head` (`head` null: the working tree). @default every project */
  readonly affected?: { readonly base: string; readonly head: string | null };
}

/** Nx in-process and offline: no daemon, no cloud, no terminal UI. */
const NX_ENV = { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NX_INTERACTIVE: 'false' };

/** `nx show projects [--affected --base=B --head=H] --json` with the workspace's own Nx. */
export const listNxProjects: NxProjectLister = async ({ cwd, affected }) => {
  const args = ['show', 'projects', '--json'];
  if (affected) {
    args.push('--affected', `--base=${affected.base}`);
    if (affected.head !== null) args.push(`--head=${affected.head}`);
  }
  try {
    const { stdout } = await run(process.execPath, [nxBin(cwd), ...args], {
      cwd,
      env: { ...process.env, ...NX_ENV },
      maxBuffer: 64 * 1024 * 1024,
      encoding: 'utf8',
    });
    return parseProjectList(stdout);
  } catch (error) {
    if (error instanceof AffectedError) throw error;
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim() || (error as Error).message;
    throw new AffectedError(AffectedErrorCode.NX_FAILED, `nx ${args.join(' ')} failed: ${stderr}`, cwd);
  }
};

/** Nx prints the JSON array last (after any warnings on stdout). */
export function parseProjectList(stdout: string): string[] {
  const start = stdout.lastIndexOf('\n[') + 1;
  const parsed: unknown = JSON.parse(stdout.slice(start).trim() || '[]');
  if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string')) {
    throw new AffectedError(
      AffectedErrorCode.NX_FAILED,
      `nx show projects printed no JSON list of names: ${stdout.slice(0, 200)}`,
    );
  }
  return parsed;
}

/** The `nx` executable of the workspace at `cwd`. */
export function nxBin(cwd: string): string {
  let manifest: string;
  try {
    manifest = require.resolve('nx/package.json', { paths: [cwd] });
  } catch {
    throw new AffectedError(
      AffectedErrorCode.NX_FAILED,
      `Nx is not installed in ${cwd} (run npm ci, or use --detector paths)`,
      cwd,
    );
  }
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> };
  return join(dirname(manifest), bin.nx ?? 'bin/nx.js');
}
