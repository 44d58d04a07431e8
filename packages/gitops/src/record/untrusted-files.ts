/**
 * `kitt render --untrusted`: the plan run's artifacts, read by the workflow that posts the record. They were made
 * by jobs that ran the pull request's code, so they are data to check, never to believe: regular files only, each
 * and all together under a size cap (read before anything is parsed), summaries only (a raw plan has no business
 * in an artifact), every summary's head the one GitHub's event names, and the commits and run shown in the record
 * taken from the options (GitHub's event), never from the files. Field checks and escaping are the renderer's, as
 * for every summary.
 */
import { lstat } from 'node:fs/promises';
import { InputError, type InputIssue } from '@kitt/flag-config';
import type { StackResult } from '../plan';

/** Far above a 20,000-change stack's summary, far below what would exhaust the runner. */
export const UNTRUSTED_MAX_FILE_BYTES = 32 * 1024 * 1024;
export const UNTRUSTED_MAX_TOTAL_BYTES = 128 * 1024 * 1024;

export interface UntrustedFile {
  /** Absolute path. */
  readonly file: string;
  /** As shown in messages. */
  readonly shown: string;
}

export interface UntrustedLimits {
  readonly maxFileBytes: number;
  readonly maxTotalBytes: number;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

const LIMITS: UntrustedLimits = { maxFileBytes: UNTRUSTED_MAX_FILE_BYTES, maxTotalBytes: UNTRUSTED_MAX_TOTAL_BYTES };

/** Throws an `InputError` naming every file that is not a regular file or is too large, and the total if it is. */
export async function checkUntrustedFiles(
  files: readonly UntrustedFile[],
  limits: UntrustedLimits = LIMITS,
): Promise<void> {
  const issues: InputIssue[] = [];
  let total = 0;
  for (const { file, shown } of files) {
    let stats;
    try {
      stats = await lstat(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      issues.push(issue('PLAN_FILE_UNREADABLE', shown, `cannot read the file (${code})`));
      continue;
    }
    if (!stats.isFile()) {
      const kind = stats.isSymbolicLink() ? 'a symbolic link' : stats.isDirectory() ? 'a directory' : 'not a file';
      issues.push(issue('ARTIFACT_NOT_A_FILE', shown, `is ${kind}: an artifact is read only as a regular file`));
      continue;
    }
    total += stats.size;
    if (stats.size > limits.maxFileBytes) {
      issues.push(
        issue('ARTIFACT_TOO_LARGE', shown, `is ${stats.size} bytes, more than the ${limits.maxFileBytes} allowed`),
      );
    }
  }
  if (total > limits.maxTotalBytes) {
    issues.push(
      issue(
        'ARTIFACTS_TOO_LARGE',
        files
          .map((f) => f.shown)
          .join(', ')
          .slice(0, 200),
        `${files.length} files hold ${total} bytes, more than the ${limits.maxTotalBytes} allowed together`,
      ),
    );
  }
  if (issues.length > 0) throw new InputError(issues);
}

/**
 * The results as the record may show them: refused when a summary names another head than `head` (it was not made
 * for this commit) or carries a fingerprint or config hash that is not a SHA-256, and stripped of the commits and
 * run they claim, which the options give instead.
 */
export function untrustedResults(
  results: readonly { readonly shown: string; readonly result: StackResult }[],
  head: string,
): StackResult[] {
  const issues: InputIssue[] = [];
  for (const { shown, result } of results) {
    if (result.headSha !== undefined && result.headSha.toLowerCase() !== head.toLowerCase()) {
      issues.push({
        code: 'STACK_RESULT_HEAD_MISMATCH',
        file: shown,
        path: 'headSha',
        message: `is a summary of another commit than the head this record is for (${head})`,
        received: result.headSha.slice(0, 80),
        expected: head,
      });
    }
    // The apply guard compares these: only the SHA-256 hex kitt writes may reach the record's metadata.
    for (const key of ['fingerprint', 'configHash'] as const) {
      const value = result[key];
      if (value !== undefined && !SHA256_HEX.test(value)) {
        issues.push({
          code: 'STACK_RESULT_INVALID',
          file: shown,
          path: key,
          message: `${key} is not a SHA-256 in hex`,
          received: value.slice(0, 80),
          expected: '64 lowercase hexadecimal characters',
        });
      }
    }
  }
  if (issues.length > 0) throw new InputError(issues);
  return results.map(({ result }) => {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- what the file claims about commits is dropped
    const { headSha, baseSha, runId, ...rest } = result;
    return rest as StackResult;
  });
}

function issue(code: string, file: string, message: string): InputIssue {
  return { code, file, path: '', message, expected: 'a summary.json that kitt plan wrote, as a regular file' };
}
