/**
 * The guard of `kitt apply --approve --pr N --record ID`: may this run apply the plan a follow-up record shows?
 * Pure: it takes what `follow-up-evidence.ts` gathered. A follow-up record is a plan kitt made on main at apply
 * time that differed from the approved one; it counts only when
 * - kitt's own identity posted it on this merged pull request, with the follow-up marker, never edited since, and
 *   it is the newest follow-up of its FLAG there (an older one was superseded);
 * - its metadata (one FLAG's stacks, the marker's commit) names the run that posted it, that run is an
 *   apply.yml run on main (push or workflow_dispatch) of this repository, and its `apply-record-<flag-id>`
 *   artifact records each of the comment's stacks as needing approval with the comment's fingerprint;
 * - every actor of this run (who started it, and who re-ran it) is listed in flags/org.yaml
 *   `environments.<env>.approvers` for the FLAG's environment, and none is the pull request's author.
 * Every reason is reported, not only the first.
 */
import { flagDirOfId, parseFlagPath, type OrgConfig } from '@kitt/flag-config';
import type { PlanMetadata } from '../plan-markdown/render';
import { ApplyErrorCode, type Refusal } from './errors';
import type { ArtifactApplyRecord } from './artifact-zip';
import type { ApprovedStack } from './guard';

/** The workflow whose runs post follow-up records. */
export const APPLY_WORKFLOW_PATH = '.github/workflows/apply.yml';

export interface FollowUpComment {
  readonly id: number;
  readonly byKitt: boolean;
  /** The marker's commit and FLAG. @default absent: no follow-up marker */
  readonly marker?: { readonly commit: string; readonly flagId: string };
  readonly createdAt: string;
  readonly updatedAt: string;
  /** @default absent: unreadable, or a record in parts */
  readonly metadata?: PlanMetadata;
}

export interface FollowUpEvidence {
  readonly repository: string;
  readonly pullRequest: { readonly number: number; readonly author: string; readonly merged: boolean };
  /** The comment the run was asked to approve. @default absent: no such comment on the pull request */
  readonly record?: FollowUpComment;
  /** Ids of kitt's follow-up records of the same FLAG on the pull request, oldest first. */
  readonly sameFlagIds: readonly number[];
  /** The run the record's metadata names. @default absent: none, or unknown to GitHub */
  readonly run?: {
    readonly path: string;
    readonly event: string;
    readonly headBranch: string | null;
    readonly repository: string;
  };
  /**
   * The stack records of that run's `apply-record-<flag-id>` artifact, or why they could not be read.
   * @default absent when the run was not read (it failed its checks)
   */
  readonly artifact?:
    | { readonly ok: true; readonly records: readonly ArtifactApplyRecord[] }
    | { readonly ok: false; readonly reason: string };
  /** `GITHUB_EVENT_NAME`. @default absent outside Actions */
  readonly eventName?: string;
  /** Who started this run and who re-ran it (distinct logins). */
  readonly actors: readonly string[];
}

export type FollowUpVerdict =
  | { ok: true; flagId: string; commit: string; runId: string; stacks: ApprovedStack[] }
  | { ok: false; refusals: Refusal[] };

function recordRefusals(evidence: FollowUpEvidence): string[] {
  const { record, pullRequest } = evidence;
  const pr = `#${pullRequest.number}`;
  if (!record) return [`there is no comment with that id on ${pr}`];
  if (!record.byKitt) return [`comment ${record.id} was not written by kitt's identity`];
  if (!record.marker) return [`comment ${record.id} is not a follow-up record (a plan kitt made at apply time)`];
  const wrong: string[] = [];
  if (record.updatedAt !== record.createdAt) wrong.push(`comment ${record.id} was edited after it was posted`);
  const newest = evidence.sameFlagIds.at(-1);
  if (newest !== undefined && newest !== record.id)
    wrong.push(`comment ${record.id} is superseded by the newer follow-up record ${newest} of ${record.marker.flagId}`);
  const metadata = record.metadata;
  if (!metadata)
    return [...wrong, `comment ${record.id}'s plan metadata cannot be read (or it is one part of several)`];
  if (metadata.headSha !== record.marker.commit)
    wrong.push(
      `its metadata is for ${metadata.headSha.slice(0, 12)}, not the marker's ${record.marker.commit.slice(0, 12)}`,
    );
  const others = metadata.stacks.filter((s) => s.flagId !== record.marker?.flagId);
  if (others.length > 0) wrong.push(`it holds stacks of another FLAG: ${others.map((s) => s.stack).join(', ')}`);
  const run = evidence.run;
  if (metadata.runId === undefined) wrong.push('it names no apply run');
  else if (!run) wrong.push(`GitHub knows no run ${metadata.runId}`);
  else {
    if (run.path.replace(/@.*$/, '') !== APPLY_WORKFLOW_PATH) wrong.push(`run ${metadata.runId} is of '${run.path}'`);
    if (!['push', 'workflow_dispatch'].includes(run.event)) wrong.push(`run ${metadata.runId} ran on '${run.event}'`);
    if (run.headBranch !== 'main') wrong.push(`run ${metadata.runId} ran on branch '${run.headBranch ?? 'none'}'`);
    if (run.repository.toLowerCase() !== evidence.repository.toLowerCase())
      wrong.push(`run ${metadata.runId} belongs to ${run.repository}`);
  }
  if (wrong.length === 0) wrong.push(...artifactDisagreements(evidence, metadata, record.marker.commit));
  return wrong;
}

/** The comment must agree with what its run recorded: each stack needing approval, with that fingerprint. */
function artifactDisagreements(evidence: FollowUpEvidence, metadata: PlanMetadata, commit: string): string[] {
  const artifact = evidence.artifact;
  if (!artifact) return ["the apply run's apply-record artifact was not read"];
  if (!artifact.ok) return [`the apply run's apply-record artifact cannot be read: ${artifact.reason}`];
  return metadata.stacks.flatMap((s) => {
    const agrees = artifact.records.some(
      (r) =>
        r.stack === s.stack &&
        r.commit === commit &&
        r.outcome === 'needs-approval' &&
        r.plannedFingerprint !== undefined &&
        r.plannedFingerprint === s.fingerprint,
    );
    return agrees
      ? []
      : [`the apply run's artifact does not record ${s.stack} as needing approval with the record's fingerprint`];
  });
}

function actorRefusals(evidence: FollowUpEvidence, org: OrgConfig, flagId: string): string[] {
  if (evidence.eventName !== undefined && evidence.eventName !== 'workflow_dispatch')
    return [`an approval runs only in a workflow_dispatch run, not on '${evidence.eventName}'`];
  if (evidence.actors.length === 0) return ['GitHub names no actor of this run (GITHUB_ACTOR)'];
  const environment = parseFlagPath(flagDirOfId(flagId))?.environment ?? '';
  const approvers = (org.environments[environment]?.approvers ?? []).map((a) => a.toLowerCase());
  const author = evidence.pullRequest.author.toLowerCase();
  return evidence.actors.flatMap((actor) => {
    if (actor.toLowerCase() === author)
      return [`${actor} is the author of #${evidence.pullRequest.number}: an author never approves their own change`];
    if (!approvers.includes(actor.toLowerCase()))
      return [
        `${actor} is not listed in flags/org.yaml environments.${environment}.approvers (${approvers.length > 0 ? approvers.join(', ') : 'none listed'})`,
      ];
    return [];
  });
}

/** The verdict: the follow-up's stacks with their fingerprints, or every reason not to apply them. */
export function guardFollowUp(evidence: FollowUpEvidence, org: OrgConfig, flagId?: string): FollowUpVerdict {
  const refusals: Refusal[] = [];
  if (!evidence.pullRequest.merged)
    refusals.push({
      code: ApplyErrorCode.PULL_REQUEST_NOT_FOUND,
      message: `#${evidence.pullRequest.number} is not merged`,
    });
  const untrusted = recordRefusals(evidence);
  refusals.push(...untrusted.map((message) => ({ code: ApplyErrorCode.FOLLOW_UP_UNTRUSTED, message })));
  const marker = evidence.record?.marker;
  if (marker && flagId !== undefined && marker.flagId !== flagId) {
    refusals.push({
      code: ApplyErrorCode.RECORD_NOT_APPLICABLE,
      message: `the follow-up record is of ${marker.flagId}, not of ${flagId}, whose Environment and role this job has`,
    });
  }
  if (marker) {
    const notAllowed = actorRefusals(evidence, org, marker.flagId);
    refusals.push(...notAllowed.map((message) => ({ code: ApplyErrorCode.APPROVER_NOT_ALLOWED, message })));
  }
  const metadata = evidence.record?.metadata;
  if (refusals.length > 0 || !marker || !metadata?.runId) return { ok: false, refusals };
  const stacks = metadata.stacks.map((s) => ({
    flagId: s.flagId,
    stack: s.stack,
    layer: s.layer,
    status: s.status as ApprovedStack['status'],
    ...(s.fingerprint !== undefined ? { fingerprint: s.fingerprint } : {}),
    removed: false,
  }));
  return { ok: true, flagId: marker.flagId, commit: marker.commit, runId: metadata.runId, stacks };
}
