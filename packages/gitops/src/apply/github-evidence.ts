/**
 * Gathers what the apply guard checks, from GitHub: the merged pull request of the commit, kitt's own plan records
 * on it (marker AND author), its reviews, the plan run the record names and that run's `plan-summaries-*`
 * artifacts. Reads only; every value is handed to the pure guard as data.
 */
import type { GitHubClient } from '../github/client';
import { toGitHubError } from '../github/errors';
import { isWrittenBy, type CommentAuthor } from '../github/identity';
import { readPlanRecordMarker } from '../github/plan-record-body';
import { newestRecord } from '../github/record-parts';
import { readPlanMetadata } from '../plan-markdown/render';
import type { StackResult } from '../plan/record';
import { ARTIFACT_LIMITS, ArtifactReadError, summariesInZip } from './artifact-zip';
import { ApplyError, ApplyErrorCode } from './errors';
import type { ApplyEvidence, ArtifactEvidence, PlanRunEvidence, PullRequestEvidence, RecordEvidence } from './evidence';
import { planRunRefusals } from './guard';

export interface EvidenceRequest {
  readonly owner: string;
  readonly repo: string;
  /** The commit on main being applied (full SHA). */
  readonly commit: string;
  /** The pull request, when given (`--pr`); else found from the commit. */
  readonly pr?: number;
  /** kitt's identity: only its comments are records. */
  readonly author: CommentAuthor;
}

/** The artifacts that hold each stack's plan summary, as plan.yml names them. */
export const PLAN_SUMMARIES_ARTIFACT_PREFIX = 'plan-summaries-';

async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toGitHubError(error, operation);
  }
}

interface RestPull {
  number: number;
  user: { login: string } | null;
  head: { sha: string };
  base: { repo: { full_name: string } };
  merged_at: string | null;
  merge_commit_sha: string | null;
}

function pullEvidence(p: RestPull): PullRequestEvidence {
  return {
    number: p.number,
    author: p.user?.login ?? '',
    headSha: p.head.sha.toLowerCase(),
    merged: p.merged_at !== null,
  };
}

/** The merged pull request whose merge commit is `commit` (exactly one), or pull request `pr`. */
export async function findMergedPullRequest(
  octokit: GitHubClient,
  request: EvidenceRequest,
): Promise<PullRequestEvidence> {
  const { owner, repo, commit } = request;
  if (request.pr !== undefined) {
    const pr = request.pr;
    const { data } = await call(`reading ${owner}/${repo}#${pr}`, () =>
      octokit.rest.pulls.get({ owner, repo, pull_number: pr }),
    );
    return pullEvidence(data as RestPull);
  }
  const operation = `finding the merged pull request of commit ${commit.slice(0, 12)} in ${owner}/${repo}`;
  const pulls = (await call(operation, () =>
    octokit.paginate(octokit.rest.repos.listPullRequestsAssociatedWithCommit, {
      owner,
      repo,
      commit_sha: commit,
      per_page: 100,
    }),
  )) as RestPull[];
  const full = `${owner}/${repo}`.toLowerCase();
  const merged = pulls.filter(
    (p) =>
      p.merged_at !== null &&
      (p.merge_commit_sha ?? '').toLowerCase() === commit.toLowerCase() &&
      p.base.repo.full_name.toLowerCase() === full,
  );
  if (merged.length === 1) return pullEvidence(merged[0] as RestPull);
  throw new ApplyError(
    ApplyErrorCode.PULL_REQUEST_NOT_FOUND,
    `${operation}: ${merged.length === 0 ? 'none has it as its merge commit' : `${merged.map((p) => `#${p.number}`).join(', ')} all do`}; name it with --pr`,
  );
}

/**
 * kitt's plan records on the pull request: every head, and the metadata of the final head's newest record (an
 * approved head can have a newer record beside the approved one) with when it was last written.
 */
async function readRecords(
  octokit: GitHubClient,
  request: EvidenceRequest,
  pr: PullRequestEvidence,
): Promise<RecordEvidence> {
  const { owner, repo } = request;
  const comments = await call(`listing comments on ${owner}/${repo}#${pr.number}`, () =>
    octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: pr.number, per_page: 100 }),
  );
  const records = comments.flatMap((c) => {
    if (!isWrittenBy(request.author, c.user)) return [];
    const marker = readPlanRecordMarker(c.body);
    if (!marker) return [];
    const { head, part } = marker;
    return [{ id: c.id, body: c.body ?? '', head, ...(part ? { part } : {}), updatedAt: c.updated_at }];
  });
  const heads = [...new Set(records.flatMap((r) => (r.head ? [r.head] : [])))];
  const mine = newestRecord(records.filter((r) => r.head !== undefined && pr.headSha.startsWith(r.head))).sort(
    (a, b) => (a.part?.index ?? 1) - (b.part?.index ?? 1),
  );
  const metadata = mine.length > 0 ? readPlanMetadata(mine.map((r) => r.body).join('\n\n')) : undefined;
  const writtenAt = mine
    .map((r) => r.updatedAt)
    .sort((a, b) => Date.parse(a) - Date.parse(b))
    .at(-1);
  return {
    heads,
    commentIds: mine.map((r) => r.id),
    ...(metadata ? { metadata } : {}),
    ...(writtenAt ? { writtenAt } : {}),
  };
}

async function readPlanRun(
  octokit: GitHubClient,
  request: EvidenceRequest,
  runId: string,
): Promise<PlanRunEvidence | undefined> {
  if (!/^[1-9]\d{0,18}$/.test(runId)) return undefined;
  const { owner, repo } = request;
  try {
    const { data } = await octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: Number(runId) });
    return {
      id: runId,
      path: data.path ?? '',
      event: data.event,
      headSha: data.head_sha,
      conclusion: data.conclusion ?? null,
      repository: data.repository.full_name,
    };
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw toGitHubError(error, `reading plan run ${runId} of ${owner}/${repo}`);
  }
}

/** Every summary of the run's `plan-summaries-*` artifacts; an unreadable archive is an answer, not a crash. */
async function readArtifacts(
  octokit: GitHubClient,
  request: EvidenceRequest,
  runId: string,
): Promise<ArtifactEvidence> {
  const { owner, repo } = request;
  const artifacts = await call(`listing the artifacts of plan run ${runId}`, () =>
    octokit.paginate(octokit.rest.actions.listWorkflowRunArtifacts, {
      owner,
      repo,
      run_id: Number(runId),
      per_page: 100,
    }),
  );
  const summaries: StackResult[] = [];
  for (const artifact of artifacts.filter((a) => a.name.startsWith(PLAN_SUMMARIES_ARTIFACT_PREFIX))) {
    if (artifact.expired) return { ok: false, reason: `artifact ${artifact.name} has expired` };
    if (artifact.size_in_bytes > ARTIFACT_LIMITS.zipBytes) {
      return {
        ok: false,
        reason: `artifact ${artifact.name} is ${artifact.size_in_bytes} bytes, over the ${ARTIFACT_LIMITS.zipBytes} kitt reads`,
      };
    }
    const { data } = await call(`downloading artifact ${artifact.name} of plan run ${runId}`, () =>
      octokit.rest.actions.downloadArtifact({ owner, repo, artifact_id: artifact.id, archive_format: 'zip' }),
    );
    try {
      summaries.push(...summariesInZip(new Uint8Array(data as ArrayBuffer)));
    } catch (error) {
      if (!(error instanceof ArtifactReadError)) throw error;
      return { ok: false, reason: `artifact ${artifact.name}: ${error.message}` };
    }
  }
  return { ok: true, summaries };
}

async function readReviews(octokit: GitHubClient, request: EvidenceRequest, pr: number) {
  const { owner, repo } = request;
  const reviews = await call(`listing the reviews of ${owner}/${repo}#${pr}`, () =>
    octokit.paginate(octokit.rest.pulls.listReviews, { owner, repo, pull_number: pr, per_page: 100 }),
  );
  return reviews.map((r) => ({
    login: r.user?.login ?? '',
    state: r.state,
    commitId: r.commit_id ?? null,
    ...(r.submitted_at ? { submittedAt: r.submitted_at } : {}),
  }));
}

/** Everything the guard checks. The artifacts are read only from a run that passes the run checks. */
export async function gatherEvidence(octokit: GitHubClient, request: EvidenceRequest): Promise<ApplyEvidence> {
  const repository = `${request.owner}/${request.repo}`;
  const pullRequest = await findMergedPullRequest(octokit, request);
  const record = await readRecords(octokit, request, pullRequest);
  const reviews = await readReviews(octokit, request, pullRequest.number);
  const runId = record.metadata?.runId;
  const planRun = runId === undefined ? undefined : await readPlanRun(octokit, request, runId);
  const trusted = runId !== undefined && planRunRefusals(planRun, pullRequest.headSha, repository).length === 0;
  const artifacts = trusted ? await readArtifacts(octokit, request, runId) : undefined;
  return {
    repository,
    pullRequest,
    record,
    reviews,
    ...(planRun ? { planRun } : {}),
    ...(artifacts ? { artifacts } : {}),
  };
}
