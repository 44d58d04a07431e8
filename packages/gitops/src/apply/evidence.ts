/**
 * What the apply guard looks at, as plain values gathered from GitHub (`github-evidence.ts`). Nothing here is
 * trusted by itself: the guard (`guard.ts`) checks each piece against the others.
 */
import type { StackResult } from '../plan/record';
import type { PlanMetadata } from '../plan-markdown/render';

/** The merged pull request the commit came from. */
export interface PullRequestEvidence {
  readonly number: number;
  /** Login of the pull request's author. */
  readonly author: string;
  /** The final head commit (lower case): what was reviewed last. */
  readonly headSha: string;
  readonly merged: boolean;
}

/** kitt's own plan records on the pull request (found by marker and author). */
export interface RecordEvidence {
  /** Heads of every record kitt wrote, oldest first (to tell "none" from "not for the final head"). */
  readonly heads: readonly string[];
  /** The metadata of the newest record for the final head, all its parts joined. @default absent: none, or unreadable */
  readonly metadata?: PlanMetadata;
  /** Comment ids of that record's parts. */
  readonly commentIds: readonly number[];
  /** When that record was last written (the latest `updated_at` of its parts, ISO). @default absent: no record */
  readonly writtenAt?: string;
}

/** A pull request review as REST lists it. */
export interface ReviewEvidence {
  readonly login: string;
  /** `APPROVED`, `CHANGES_REQUESTED`, `COMMENTED`, `DISMISSED`, `PENDING`. */
  readonly state: string;
  /** The commit the review was made on. */
  readonly commitId: string | null;
  /** When it was submitted (ISO). @default absent: a pending review, never submitted */
  readonly submittedAt?: string;
}

/** `GET /repos/{o}/{r}/actions/runs/{id}`, the fields the guard reads. */
export interface PlanRunEvidence {
  readonly id: string;
  readonly path: string;
  readonly event: string;
  readonly headSha: string;
  readonly conclusion: string | null;
  /** `owner/repo` the run belongs to. */
  readonly repository: string;
}

/** The stack summaries of the plan run's `plan-summaries-*` artifacts, or why they could not be read. */
export type ArtifactEvidence =
  | { readonly ok: true; readonly summaries: readonly StackResult[] }
  | { readonly ok: false; readonly reason: string };

export interface ApplyEvidence {
  /** `owner/repo`. */
  readonly repository: string;
  readonly pullRequest: PullRequestEvidence;
  readonly record: RecordEvidence;
  readonly reviews: readonly ReviewEvidence[];
  /** @default absent when the record names no run, or GitHub knows no such run */
  readonly planRun?: PlanRunEvidence;
  /** @default absent when the plan run was not read (no run, or it failed its checks) */
  readonly artifacts?: ArtifactEvidence;
}
