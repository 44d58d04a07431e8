import { UsageError } from '../command';

/** `--commit`, else `GITHUB_SHA`: a full commit SHA, lower-cased. */
export function commitOption(value: string | undefined, sha: string | undefined): string {
  const commit = value ?? sha;
  if (commit === undefined)
    throw new UsageError('--commit is required outside GitHub Actions (GITHUB_SHA is not set)', 'apply');
  if (!/^[0-9a-fA-F]{40}$/.test(commit))
    throw new UsageError(`--commit must be a full commit SHA, got '${commit}'`, 'apply');
  return commit.toLowerCase();
}

/** `--pr`: a pull request number. */
export function prOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d{0,9}$/.test(value))
    throw new UsageError(`--pr must be a pull request number, got '${value}'`, 'apply');
  return Number(value);
}
