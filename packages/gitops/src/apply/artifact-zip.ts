/**
 * The stack summaries inside one `plan-summaries-*` artifact, as the Actions API hands it over: a zip archive.
 * The archive is the plan run's output, so hostile: entries are counted and their sizes capped before anything
 * is inflated (fflate inflates at most the size an entry declares), and every `summary.json` is schema-checked
 * (`parseStackResult`). Nothing is written to disk, so entry names never become paths.
 */
import { unzipSync } from 'fflate';
import { parseStackResult } from '../plan/stack-result';
import type { StackResult } from '../plan/record';

export const ARTIFACT_LIMITS = {
  /** Largest archive downloaded. */
  zipBytes: 20 * 1024 * 1024,
  /** Most entries in one archive. */
  entries: 5_000,
  /** Largest `summary.json` (the largest real ones are a few hundred KiB). */
  summaryBytes: 8 * 1024 * 1024,
  /** All summaries of one archive, inflated. */
  totalBytes: 64 * 1024 * 1024,
} as const;

/** Why an archive was refused; the caller names the artifact. */
export class ArtifactReadError extends Error {}

const isSummary = (name: string) => name === 'summary.json' || name.endsWith('/summary.json');

/** Every `summary.json` of the archive, checked; other files are left alone. */
export function summariesInZip(zip: Uint8Array): StackResult[] {
  if (zip.byteLength > ARTIFACT_LIMITS.zipBytes) {
    throw new ArtifactReadError(
      `the archive is ${zip.byteLength} bytes, over the ${ARTIFACT_LIMITS.zipBytes} kitt reads`,
    );
  }
  let entries = 0;
  let total = 0;
  let refused: string | undefined;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip, {
      filter(file) {
        entries++;
        if (!isSummary(file.name) || refused) return false;
        total += file.originalSize;
        if (entries > ARTIFACT_LIMITS.entries) refused = `it has over ${ARTIFACT_LIMITS.entries} entries`;
        else if (file.originalSize > ARTIFACT_LIMITS.summaryBytes)
          refused = `${file.name} is ${file.originalSize} bytes`;
        else if (total > ARTIFACT_LIMITS.totalBytes)
          refused = `its summaries add up to over ${ARTIFACT_LIMITS.totalBytes} bytes`;
        return refused === undefined;
      },
    });
  } catch (error) {
    throw new ArtifactReadError(`it is not a readable zip archive: ${(error as Error).message}`);
  }
  if (refused) throw new ArtifactReadError(refused);
  return Object.entries(files)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, bytes]) => {
      let json: unknown;
      try {
        json = JSON.parse(Buffer.from(bytes).toString('utf8'));
      } catch {
        throw new ArtifactReadError(`${name} is not JSON`);
      }
      try {
        return parseStackResult(json);
      } catch (error) {
        throw new ArtifactReadError(`${name} is not a stack summary: ${(error as Error).message}`);
      }
    });
}

/** One stack's apply record JSON (`stackApplyRecord`) as an apply run's `apply-record-*` artifact holds it. */
export interface ArtifactApplyRecord {
  readonly stack: string;
  readonly commit: string;
  readonly outcome: string;
  readonly plannedFingerprint?: string;
}

/** Every apply record JSON of an apply run's artifact; files that are not one are left out, caps as above. */
export function applyRecordsInZip(zip: Uint8Array): ArtifactApplyRecord[] {
  if (zip.byteLength > ARTIFACT_LIMITS.zipBytes) {
    throw new ArtifactReadError(
      `the archive is ${zip.byteLength} bytes, over the ${ARTIFACT_LIMITS.zipBytes} kitt reads`,
    );
  }
  let entries = 0;
  let refused: string | undefined;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip, {
      filter(file) {
        entries++;
        if (!file.name.endsWith('.json') || refused) return false;
        if (entries > ARTIFACT_LIMITS.entries) refused = `it has over ${ARTIFACT_LIMITS.entries} entries`;
        else if (file.originalSize > 1024 * 1024) refused = `${file.name} is ${file.originalSize} bytes`;
        return refused === undefined;
      },
    });
  } catch (error) {
    throw new ArtifactReadError(`it is not a readable zip archive: ${(error as Error).message}`);
  }
  if (refused) throw new ArtifactReadError(refused);
  return Object.values(files).flatMap((bytes) => {
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>;
    } catch {
      return [];
    }
    const { kind, stack, commit, outcome, plannedFingerprint } = json ?? {};
    if (kind !== 'kitt-apply-record' || typeof stack !== 'string' || typeof commit !== 'string') return [];
    if (typeof outcome !== 'string') return [];
    return [{ stack, commit, outcome, ...(typeof plannedFingerprint === 'string' ? { plannedFingerprint } : {}) }];
  });
}
