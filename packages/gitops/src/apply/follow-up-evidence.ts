/**
 * Gathers what the follow-up guard (`follow-up-guard.ts`) checks, from GitHub and the run's environment: the pull
 * request, the follow-up record among its comments (so it is certainly on this pull request), kitt's other
 * follow-up records of the same FLAG, and the run the record names. Reads only.
 */
import type { GitHubClient } from '../github/client';
import { toGitHubError } from '../github/errors';
import { isWrittenBy, type CommentAuthor } from '../github/identity';
import { readPlanMetadata } from '../plan-markdown/render';
import { readFollowUpMarker } from './apply-record';
import { applyRecordsInZip, ARTIFACT_LIMITS, ArtifactReadError } from './artifact-zip';
import { APPLY_WORKFLOW_PATH, type FollowUpComment, type FollowUpEvidence } from './follow-up-guard';
import { findMergedPullRequest } from './github-evidence';

type Env = Readonly<Record<string, string | undefined>>;

/** apply.yml uploads each job's apply record as `apply-record-<flag-id>`. */
export const APPLY_RECORD_ARTIFACT_PREFIX = 'apply-record-';

export interface FollowUpRequest {
  readonly octokit: GitHubClient;
  readonly owner: string;
  readonly repo: string;
  readonly author: CommentAuthor;
  readonly pr: number;
  readonly recordId: number;
  readonly env: Env;
}

/** `GITHUB_ACTOR` and, on a re-run by someone else, `GITHUB_TRIGGERING_ACTOR`: both must be approvers. */
export function runActors(env: Env): string[] {
  const actors = [env.GITHUB_ACTOR, env.GITHUB_TRIGGERING_ACTOR].filter((a): a is string => !!a && a.trim() !== '');
  return [...new Map(actors.map((a) => [a.toLowerCase(), a])).values()];
}

async function readRun(request: FollowUpRequest, runId: string | undefined): Promise<FollowUpEvidence['run']> {
  if (runId === undefined || !/^[1-9]\d{0,18}$/.test(runId)) return undefined;
  const { octokit, owner, repo } = request;
  try {
    const { data } = await octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: Number(runId) });
    return {
      path: data.path ?? '',
      event: data.event,
      headBranch: data.head_branch ?? null,
      repository: data.repository.full_name,
    };
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw toGitHubError(error, `reading run ${runId} of ${owner}/${repo}`);
  }
}

/** The stack records of the run's `apply-record-<flag-id>` artifact; an unreadable archive is an answer. */
async function readArtifact(
  request: FollowUpRequest,
  runId: string,
  flagId: string,
): Promise<NonNullable<FollowUpEvidence['artifact']>> {
  const { octokit, owner, repo } = request;
  const name = `${APPLY_RECORD_ARTIFACT_PREFIX}${flagId}`;
  try {
    const artifacts = await octokit.paginate(octokit.rest.actions.listWorkflowRunArtifacts, {
      owner,
      repo,
      run_id: Number(runId),
      per_page: 100,
    });
    const found = artifacts.find((a) => a.name === name);
    if (!found) return { ok: false, reason: `run ${runId} has no artifact ${name}` };
    if (found.expired) return { ok: false, reason: `artifact ${name} has expired` };
    if (found.size_in_bytes > ARTIFACT_LIMITS.zipBytes) return { ok: false, reason: `artifact ${name} is too large` };
    const { data } = await octokit.rest.actions.downloadArtifact({
      owner,
      repo,
      artifact_id: found.id,
      archive_format: 'zip',
    });
    return { ok: true, records: applyRecordsInZip(new Uint8Array(data as ArrayBuffer)) };
  } catch (error) {
    if (error instanceof ArtifactReadError) return { ok: false, reason: `artifact ${name}: ${error.message}` };
    throw toGitHubError(error, `reading artifact ${name} of run ${runId}`);
  }
}

export async function gatherFollowUpEvidence(request: FollowUpRequest): Promise<FollowUpEvidence> {
  const { octokit, owner, repo, pr } = request;
  const pull = await findMergedPullRequest(octokit, { owner, repo, pr, commit: '', author: request.author });
  let comments;
  try {
    comments = await octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: pr,
      per_page: 100,
    });
  } catch (error) {
    throw toGitHubError(error, `listing comments on ${owner}/${repo}#${pr}`);
  }
  const found = comments.find((c) => c.id === request.recordId);
  const marker = found ? readFollowUpMarker(found.body) : undefined;
  const metadata = found && marker ? readPlanMetadata(found.body ?? '') : undefined;
  const record: FollowUpComment | undefined = found && {
    id: found.id,
    byKitt: isWrittenBy(request.author, found.user),
    ...(marker ? { marker } : {}),
    createdAt: found.created_at,
    updatedAt: found.updated_at,
    ...(metadata ? { metadata } : {}),
  };
  const sameFlagIds = comments
    .filter((c) => isWrittenBy(request.author, c.user) && readFollowUpMarker(c.body)?.flagId === marker?.flagId)
    .map((c) => c.id);
  const run = metadata ? await readRun(request, metadata.runId) : undefined;
  const runTrusted =
    run !== undefined &&
    run.path.replace(/@.*$/, '') === APPLY_WORKFLOW_PATH &&
    run.headBranch === 'main' &&
    run.repository.toLowerCase() === `${owner}/${repo}`.toLowerCase();
  const artifact =
    runTrusted && metadata?.runId && marker ? await readArtifact(request, metadata.runId, marker.flagId) : undefined;
  const eventName = request.env.GITHUB_EVENT_NAME;
  return {
    repository: `${owner}/${repo}`,
    pullRequest: { number: pull.number, author: pull.author, merged: pull.merged },
    ...(record ? { record } : {}),
    sameFlagIds: marker ? sameFlagIds : [],
    ...(run ? { run } : {}),
    ...(artifact ? { artifact } : {}),
    ...(eventName ? { eventName } : {}),
    actors: runActors(request.env),
  };
}
