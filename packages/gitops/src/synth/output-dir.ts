import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, rmdirSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Writes `<parent>/<name>` all at once: `write` fills a fresh staging
 * directory next to it (same file system, so the final rename is atomic), which
 * then replaces the old directory. If `write` throws, the staging directory is
 * removed, the old directory is left as it was, and `parent` is removed again
 * when this call created it: a failure leaves nothing behind.
 */
export function replaceDirectoryWith<T>(parent: string, name: string, write: (stagingDir: string) => T): T {
  const createdParent = !existsSync(parent);
  mkdirSync(parent, { recursive: true });
  // Not mkdtemp: its 0700 mode would become the output's; mkdir follows the umask like every other write.
  const staging = path.join(parent, `.${name}.staging-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(staging);
  let result: T;
  try {
    result = write(staging);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (createdParent) removeIfEmpty(parent);
    throw error;
  }
  swapInto(staging, path.join(parent, name));
  return result;
}

/** Moves `staging` to `target`, replacing what was there; the old copy is deleted only once the new one is in place. */
function swapInto(staging: string, target: string): void {
  if (!existsSync(target)) {
    renameSync(staging, target);
    return;
  }
  const old = `${staging}.old`;
  renameSync(target, old);
  try {
    renameSync(staging, target);
  } catch (error) {
    renameSync(old, target);
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  rmSync(old, { recursive: true, force: true });
}

/** Another process may have started writing into it meanwhile: then it stays. */
function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // not empty, or already gone: either way not ours to remove
  }
}
