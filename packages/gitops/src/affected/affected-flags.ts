import { flagProjectName, parseFlagPath, type FlagTriple } from '@kitt/flag-config';
import type { ChangeScope } from './change-scope';
import type { FlagDetector } from './types';

export interface AffectedFlagsInput {
  readonly scope: ChangeScope;
  /** FLAG directories at head and at base. */
  readonly headFlagDirs: readonly string[];
  readonly baseFlagDirs: readonly string[];
  /** `nx`: the project graph maps shared files to FLAGs; `paths`: any shared file affects every FLAG. */
  readonly detector: FlagDetector;
  /** Nx project names affected by the diff (asked only when shared files changed and the detector is `nx`). */
  readonly nxAffectedProjects: () => Promise<readonly string[]>;
  /** Every Nx project name (asked only when Nx named no FLAG, to tell "none affected" from "Nx knows no FLAGs"). */
  readonly nxAllProjects: () => Promise<readonly string[]>;
}

export interface AffectedFlags {
  /** Sorted FLAG directories to synthesize and compare (each exists at head, at base, or both). */
  readonly flagDirs: readonly string[];
  readonly warnings: readonly string[];
}

/** The Nx project of a FLAG directory (the directories come from the FLAG listing, so each parses). */
function projectOfDir(flagDir: string): string {
  return flagProjectName(parseFlagPath(flagDir) as FlagTriple);
}

/**
 * Which FLAGs a diff touches: FLAG directories with changed files; every FLAG
 * when a file outside the project graph that synthesis reads changed
 * (`flags/org.yaml`); and for shared files (packages, lock file) the FLAG
 * projects Nx reports affected. Nx is asked only when shared files changed,
 * so the common change (one flag.yaml) costs no project graph.
 */
export async function findAffectedFlags(input: AffectedFlagsInput): Promise<AffectedFlags> {
  const { scope, headFlagDirs, baseFlagDirs } = input;
  const known = new Set([...headFlagDirs, ...baseFlagDirs]);
  const dirs = new Set(scope.touchedFlagDirs.filter((d) => known.has(d)));
  const warnings: string[] = [];

  if (scope.everyFlag || (scope.sharedFiles.length > 0 && input.detector === 'paths')) {
    headFlagDirs.forEach((d) => dirs.add(d));
  } else if (scope.sharedFiles.length > 0) {
    const byProject = new Map(headFlagDirs.map((d) => [projectOfDir(d), d]));
    const affected = (await input.nxAffectedProjects()).filter((p) => byProject.has(p));
    affected.forEach((p) => dirs.add(byProject.get(p) as string));
    if (affected.length === 0 && headFlagDirs.length > 0) {
      const all = new Set(await input.nxAllProjects());
      if (!headFlagDirs.some((d) => all.has(projectOfDir(d)))) {
        headFlagDirs.forEach((d) => dirs.add(d));
        warnings.push(
          'Nx knows no FLAG projects (is the flag-config plugin registered in nx.json?): every FLAG was compared instead',
        );
      }
    }
  }
  return { flagDirs: [...dirs].sort(), warnings };
}
