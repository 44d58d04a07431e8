/**
 * Artifacts as directories, the way `actions/upload-artifact` and `actions/download-artifact` (v4 and later) lay
 * them out: `<store>/<run-id>/<name>/…`. An upload's files are stored relative to the least common ancestor of
 * its search paths (a pattern's search path is its part before the first wildcard; a file's is the file itself);
 * a download by `name` extracts into `path`, by `pattern` into `path/<name>/` (or all into `path` with
 * `merge-multiple`). A name uploaded twice in one run fails, as on GitHub.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

export class ArtifactError extends Error {}

const WILDCARD = /[*?[]/;

/** A glob (`*`, `**`, `?`) as a regular expression over `/`-separated relative paths. */
function globRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*' && pattern[i + 1] === '*') {
      source += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += pattern[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') throw new ArtifactError(`character classes are not supported in artifact paths: ${pattern}`);
    else source += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return walk(path);
    return entry.isFile() ? [path] : [];
  });
}

interface Search {
  /** Where the search starts: the pattern's part before its first wildcard, or the file. */
  readonly root: string;
  readonly files: string[];
}

function search(pattern: string, cwd: string): Search {
  if (pattern.startsWith('!')) throw new ArtifactError(`exclusions are not supported in artifact paths: ${pattern}`);
  const absolute = isAbsolute(pattern) ? pattern : resolve(cwd, pattern);
  const parts = absolute.split('/');
  const first = parts.findIndex((p) => WILDCARD.test(p));
  if (first === -1) {
    if (!existsSync(absolute)) return { root: absolute, files: [] };
    return { root: absolute, files: statSync(absolute).isDirectory() ? walk(absolute) : [absolute] };
  }
  const root = parts.slice(0, first).join('/') || '/';
  const matcher = globRegex(parts.slice(first).join('/'));
  return { root, files: walk(root).filter((file) => matcher.test(relative(root, file).split(sep).join('/'))) };
}

function commonAncestor(paths: readonly string[]): string {
  const split = paths.map((p) => p.split('/'));
  const first = split[0] ?? [];
  let n = 0;
  while (n < first.length && split.every((s) => s[n] === first[n])) n++;
  return first.slice(0, n).join('/') || '/';
}

export interface UploadResult {
  readonly files: readonly string[];
}

/** `actions/upload-artifact`: the files of `paths` (one pattern per line) into the run's artifact `name`. */
export function uploadArtifact(store: string, runId: number, name: string, paths: string, cwd: string): UploadResult {
  const searches = paths
    .split('\n')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => search(p, cwd));
  const files = [...new Set(searches.flatMap((s) => s.files))].sort();
  if (files.length === 0) return { files: [] };
  // A search that is a file counts with its directory: its file lands at the artifact's root.
  const roots = searches.map((s) => (s.files.length === 1 && s.files[0] === s.root ? dirname(s.root) : s.root));
  const root = commonAncestor(roots);
  const target = join(store, String(runId), name);
  if (existsSync(target)) throw new ArtifactError(`an artifact named '${name}' already exists in run ${runId}`);
  for (const file of files) {
    const to = join(target, relative(root, file));
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(file, to);
  }
  return { files: files.map((f) => relative(root, f)) };
}

export interface DownloadRequest {
  readonly name?: string;
  readonly pattern?: string;
  readonly path: string;
  readonly mergeMultiple: boolean;
  readonly runId: number;
}

/** `actions/download-artifact`: the names it extracted (a missing `name` throws; a pattern may match none). */
export function downloadArtifacts(store: string, request: DownloadRequest): string[] {
  const runDir = join(store, String(request.runId));
  const names = existsSync(runDir) ? readdirSync(runDir).sort() : [];
  if (request.name !== undefined) {
    if (!names.includes(request.name))
      throw new ArtifactError(`Artifact not found for name: ${request.name} (run ${request.runId})`);
    copyTree(join(runDir, request.name), request.path);
    return [request.name];
  }
  const matcher = globRegex(request.pattern ?? '*');
  const chosen = names.filter((n) => matcher.test(n));
  for (const name of chosen) {
    copyTree(join(runDir, name), request.mergeMultiple ? request.path : join(request.path, name));
  }
  return chosen;
}

function copyTree(from: string, to: string): void {
  for (const file of walk(from)) {
    const target = join(to, relative(from, file));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
  }
}

/** A run's artifacts as `{ name: { path: text } }`, e.g. to serve them from the fake GitHub's Actions API. */
export function artifactsOf(store: string, runId: number): Record<string, Record<string, string>> {
  const runDir = join(store, String(runId));
  if (!existsSync(runDir)) return {};
  return Object.fromEntries(
    readdirSync(runDir)
      .sort()
      .map((name) => {
        const dir = join(runDir, name);
        const files = walk(dir).map((f) => [relative(dir, f).split(sep).join('/'), readFileSync(f, 'utf8')] as const);
        return [name, Object.fromEntries(files)];
      }),
  );
}
