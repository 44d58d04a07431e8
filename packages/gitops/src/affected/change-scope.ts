import { ORG_FILE, flagDirOfPath } from '@kitt/flag-config';

/** What a list of changed files says about the FLAGs, before any dependency graph is asked. */
export interface ChangeScope {
  /** FLAG directories with a changed file of their own (edited, added or removed FLAGs). */
  readonly touchedFlagDirs: readonly string[];
  /** A file every FLAG's synthesis reads changed, but no package: every FLAG is affected. */
  readonly everyFlag: boolean;
  /** Changed workspace files whose effect on FLAGs only the Nx project graph knows (packages, root manifests). */
  readonly sharedFiles: readonly string[];
}

/**
 * Files every synthesis reads that are not part of any Nx project, so Nx would
 * not mark a FLAG affected by them (the Nx plugin lists them as inputs, which
 * key its cache but not `--affected`).
 */
const EVERY_FLAG_FILES: readonly string[] = [ORG_FILE, 'scripts/kitt.mjs'];

/** Workspace files that Nx maps to projects: packages, and the manifests that change them all. */
const SHARED = /^(packages\/|package\.json$|package-lock\.json$|nx\.json$|tsconfig[^/]*\.json$)/;

/** Package files no synthesis loads: tests and prose (the Nx `source` input leaves them out too). */
const NOT_SYNTHESIS = /(\.spec\.ts|\.md)$/;

/**
 * Sorts changed files (repo-relative, `/`-separated) into FLAG directories,
 * files that affect every FLAG, and shared files for the project graph. Other
 * files (docs, workflows) affect no FLAG.
 */
export function scopeChanges(changedFiles: readonly string[]): ChangeScope {
  const touched = new Set<string>();
  const shared: string[] = [];
  let everyFlag = false;
  for (const file of changedFiles) {
    const flagDir = flagDirOfPath(file);
    if (flagDir) touched.add(flagDir);
    else if (EVERY_FLAG_FILES.includes(file)) everyFlag = true;
    else if (SHARED.test(file) && !NOT_SYNTHESIS.test(file)) shared.push(file);
  }
  return { touchedFlagDirs: [...touched].sort(), everyFlag, sharedFiles: shared.sort() };
}
