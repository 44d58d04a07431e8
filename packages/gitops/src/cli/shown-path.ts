import * as path from 'node:path';

/** A path as people typed it: relative to the repository (`/`-separated) when inside it, absolute otherwise. */
export function shownPath(cwd: string, target: string): string {
  const relative = path.relative(cwd, target);
  if (relative === '') return '.';
  if (relative.startsWith('..') || path.isAbsolute(relative)) return target;
  return relative.split(path.sep).join('/');
}
