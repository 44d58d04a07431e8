import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { compareText } from './errors';
import { FLAG_FILE_NAME, FLAGS_DIR } from './naming';

/** Repo-relative, `/`-separated form of a path given relative to `root` or absolute. */
export function toRepoPath(root: string, target: string): string {
  return path.relative(path.resolve(root), path.resolve(root, target)).split(path.sep).join('/');
}

/** Repo-relative path of the flag.yaml of a FLAG directory (or of the flag.yaml itself, when given). */
export function flagFileOf(root: string, dir: string): string {
  const relative = toRepoPath(root, dir);
  return path.posix.basename(relative) === FLAG_FILE_NAME ? relative : path.posix.join(relative, FLAG_FILE_NAME);
}

/** Every `flags/*\/*\/*\/flag.yaml`, repo-relative, sorted. */
export function listFlagFiles(root: string): string[] {
  const found: string[] = [];
  for (const customer of subdirectories(root, FLAGS_DIR)) {
    for (const environment of subdirectories(root, customer)) {
      for (const region of subdirectories(root, environment)) {
        const file = `${region}/${FLAG_FILE_NAME}`;
        if (isFile(path.join(root, file))) found.push(file);
      }
    }
  }
  return found.sort(compareText);
}

/** flag.yaml files under `flags/` at any other depth: a FLAG there would be silently ignored. */
export function listMisplacedFlagFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const child = `${dir}/${entry.name}`;
      if (entry.isDirectory() && depth < 8) walk(child, depth + 1);
      else if (entry.isFile() && entry.name === FLAG_FILE_NAME && depth !== 3) found.push(child);
    }
  };
  if (existsSync(path.join(root, FLAGS_DIR))) walk(FLAGS_DIR, 0);
  return found.sort(compareText);
}

function subdirectories(root: string, dir: string): string[] {
  const absolute = path.join(root, dir);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `${dir}/${entry.name}`)
    .sort(compareText);
}

function isFile(file: string): boolean {
  return existsSync(file) && statSync(file).isFile();
}
