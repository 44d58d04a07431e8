/**
 * The apply guard: pure. Nothing reaches AWS that a person did not see in a plan record, so the apply goes ahead
 * only when every piece of evidence holds together:
 *
 *   kitt's record (marker AND author) for the PR's final head
 *     └─ names a plan run ─▶ plan.yml, event pull_request, head_sha = final head, success
 *                              └─ its artifacts' summaries ═ the record's fingerprints
 *   an approving review of the final head (commit_id) by someone other than the author, submitted after the
 *   record was last written (a record posted after the approval shows a plan nobody approved)
 *
 * A comment proves nothing alone (a PR's commits can post a look-alike and revert), hence the run and its
 * artifacts; the artifacts prove nothing alone either (a run of another workflow or head could have made them),
 * hence the run's checks. Every reason is reported, not only the first.
 */
import type { StackStatus } from '../plan/record';
import type { ApplyEvidence, PlanRunEvidence, ReviewEvidence } from './evidence';
import { ApplyErrorCode, type Refusal } from './errors';

/** The workflow whose `pull_request` runs make the plans a record may show. */
export const PLAN_WORKFLOW_PATH = '.github/workflows/plan.yml';

/** One stack as approved: what the re-plan on main must reproduce. */
export interface ApprovedStack {
  readonly flagId: string;
  readonly stack: string;
  readonly layer: string;
  readonly status: StackStatus;
  /** @default absent for a stack that was not planned (`waits`, `unchanged-config`) */
  readonly fingerprint?: string;
  /** The record showed this stack's destroy (it is gone at head). */
  readonly removed: boolean;
}

export type GuardVerdict =
  | { readonly ok: true; readonly headSha: string; readonly runId: string; readonly stacks: readonly ApprovedStack[] }
  | { readonly ok: false; readonly refusals: readonly Refusal[] };

export interface GuardScope {
  /** Only this FLAG's stacks are applied (and must be applicable). @default every FLAG of the record */
  readonly flagId?: string;
}

const short = (sha: string) => sha.slice(0, 12);

/** Reasons the plan run cannot vouch for the record (empty when it can). */
export function planRunRefusals(run: PlanRunEvidence | undefined, headSha: string, repository: string): Refusal[] {
  const untrusted = (message: string): Refusal => ({ code: ApplyErrorCode.PLAN_RUN_UNTRUSTED, message });
  if (!run) return [untrusted('GitHub knows no plan run with the id the record names')];
  const wrong: string[] = [];
  const path = run.path.replace(/@.*$/, '');
  if (path !== PLAN_WORKFLOW_PATH) wrong.push(`its workflow is '${run.path}', not ${PLAN_WORKFLOW_PATH}`);
  if (run.event !== 'pull_request') wrong.push(`its event is '${run.event}', not pull_request`);
  if (run.headSha.toLowerCase() !== headSha)
    wrong.push(`it ran on ${short(run.headSha)}, not the final head ${short(headSha)}`);
  if (run.conclusion !== 'success') wrong.push(`its conclusion is '${run.conclusion ?? 'none'}', not success`);
  if (run.repository.toLowerCase() !== repository.toLowerCase()) wrong.push(`it belongs to ${run.repository}`);
  return wrong.map((w) => untrusted(`plan run ${run.id} cannot vouch for the record: ${w}`));
}

/** The review was submitted at or after `writtenAt` (the record's last write); without a record, any time does. */
function postdates(review: ReviewEvidence, writtenAt: string | undefined): boolean {
  if (writtenAt === undefined) return true;
  if (review.submittedAt === undefined) return false;
  return Date.parse(review.submittedAt) >= Date.parse(writtenAt);
}

/**
 * Someone other than the author approved the final head (each reviewer's latest verdict on it counts), after the
 * record was last written.
 */
function approvalRefusals(evidence: ApplyEvidence): Refusal[] {
  const { author, headSha } = evidence.pullRequest;
  const latest = new Map<string, ReviewEvidence>();
  for (const review of evidence.reviews) {
    if ((review.commitId ?? '').toLowerCase() !== headSha || review.login === '') continue; // '': a deleted account
    if (!['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED'].includes(review.state)) continue;
    latest.set(review.login.toLowerCase(), review);
  }
  const approvals = [...latest].filter(([login, r]) => r.state === 'APPROVED' && login !== author.toLowerCase());
  const { writtenAt } = evidence.record;
  if (approvals.some(([, r]) => postdates(r, writtenAt))) return [];
  if (approvals.length > 0) {
    const who = approvals.map(([, r]) => `${r.login} at ${r.submittedAt ?? 'no time'}`).join(', ');
    return [
      {
        code: ApplyErrorCode.NOT_APPROVED,
        message: `#${evidence.pullRequest.number}'s approval of its final head ${short(headSha)} predates the record (written at ${writtenAt ?? 'an unknown time'}): ${who}; the record shows a plan posted after it was approved, so it needs a new approval`,
      },
    ];
  }
  const elsewhere = evidence.reviews.filter((r) => r.state === 'APPROVED');
  const hint =
    elsewhere.length === 0
      ? 'there is no approving review'
      : `the approvals there are ${elsewhere
          .map((r) => `${r.login} on ${short(r.commitId ?? 'no commit')}`)
          .join(', ')} (the author's own, or of an older commit, do not count)`;
  return [
    {
      code: ApplyErrorCode.NOT_APPROVED,
      message: `#${evidence.pullRequest.number} has no approving review of its final head ${short(headSha)} by someone other than its author ${author}: ${hint}`,
    },
  ];
}

/** The record's fingerprints against the artifacts' summaries; returns the approved stacks when they agree. */
function compareWithArtifacts(
  evidence: ApplyEvidence,
  runId: string,
): { refusals: Refusal[]; stacks: ApprovedStack[] } {
  const mismatch = (message: string): Refusal => ({ code: ApplyErrorCode.EVIDENCE_MISMATCH, message });
  const metadata = evidence.record.metadata;
  const artifacts = evidence.artifacts;
  if (!metadata || !artifacts) return { refusals: [], stacks: [] };
  if (!artifacts.ok)
    return { refusals: [mismatch(`the plan run's artifacts cannot be read: ${artifacts.reason}`)], stacks: [] };
  const head = evidence.pullRequest.headSha;
  const refusals: Refusal[] = [];
  const byStack = new Map<string, (typeof artifacts.summaries)[number]>();
  for (const s of artifacts.summaries) {
    if (byStack.has(s.stack)) refusals.push(mismatch(`the artifacts hold stack ${s.stack} twice`));
    byStack.set(s.stack, s);
    if ((s.headSha ?? '').toLowerCase() !== head)
      refusals.push(
        mismatch(`the artifacts' ${s.stack} is for head ${short(s.headSha ?? 'none')}, not ${short(head)}`),
      );
    if (s.runId !== undefined && s.runId !== runId)
      refusals.push(mismatch(`the artifacts' ${s.stack} names run ${s.runId}, not ${runId}`));
  }
  const inRecord = new Set(metadata.stacks.map((s) => s.stack));
  for (const m of metadata.stacks) {
    const a = byStack.get(m.stack);
    if (!a) {
      refusals.push(mismatch(`the record shows stack ${m.stack}, which the plan run's artifacts do not hold`));
      continue;
    }
    const fields = (['status', 'fingerprint', 'configHash'] as const).filter((f) => (m[f] ?? '') !== (a[f] ?? ''));
    if (fields.length > 0)
      refusals.push(
        mismatch(`the record's ${m.stack} disagrees with the plan run's artifacts in ${fields.join(', ')}`),
      );
  }
  if (!metadata.truncated) {
    for (const a of artifacts.summaries) {
      if (!inRecord.has(a.stack))
        refusals.push(mismatch(`the plan run planned stack ${a.stack}, which the record does not show`));
    }
  }
  const stacks = artifacts.summaries.map((a) => ({
    flagId: a.flagId,
    stack: a.stack,
    layer: a.layer,
    status: a.status,
    ...(a.fingerprint !== undefined ? { fingerprint: a.fingerprint } : {}),
    removed: a.removed === true,
  }));
  return { refusals, stacks };
}

/** Stacks in scope that a person could not have approved as a plan. */
function applicabilityRefusals(stacks: readonly ApprovedStack[]): Refusal[] {
  return stacks
    .filter((s) => s.status === 'preview' || s.status === 'error' || (s.removed && s.status === 'waits'))
    .map((s) => ({
      code: ApplyErrorCode.RECORD_NOT_APPLICABLE,
      message: `the record shows ${s.stack} as '${s.status}'${s.removed ? ' (a destroy)' : ''}: that is no plan to apply; push a commit to plan it again`,
    }));
}

/** The verdict: go ahead with the approved stacks in scope, or every reason not to. */
export function guardApply(evidence: ApplyEvidence, scope: GuardScope = {}): GuardVerdict {
  const { pullRequest, record } = evidence;
  const head = pullRequest.headSha;
  if (!pullRequest.merged) {
    return {
      ok: false,
      refusals: [{ code: ApplyErrorCode.PULL_REQUEST_NOT_FOUND, message: `#${pullRequest.number} is not merged` }],
    };
  }
  const refusals: Refusal[] = [];
  const metadata = record.metadata;
  if (!metadata) {
    const forHead = record.heads.some((h) => head.startsWith(h));
    refusals.push(
      record.heads.length === 0 || forHead
        ? {
            code: ApplyErrorCode.NO_RECORD,
            message: `kitt wrote no${forHead ? ' readable' : ''} plan record on #${pullRequest.number}`,
          }
        : {
            code: ApplyErrorCode.RECORD_NOT_FOR_HEAD,
            message: `kitt's plan records on #${pullRequest.number} are for ${record.heads.map(short).join(', ')}, not its final head ${short(head)}: a commit came after the last plan`,
          },
    );
  } else if (metadata.headSha.toLowerCase() !== head) {
    refusals.push({
      code: ApplyErrorCode.RECORD_NOT_FOR_HEAD,
      message: `the record's metadata is for ${short(metadata.headSha)}, not the final head ${short(head)}`,
    });
  }
  refusals.push(...approvalRefusals(evidence));
  const runId = metadata?.runId;
  if (metadata && runId === undefined) {
    refusals.push({
      code: ApplyErrorCode.PLAN_RUN_UNTRUSTED,
      message: 'the record names no plan run, so its fingerprints cannot be checked',
    });
  }
  if (metadata && runId !== undefined) refusals.push(...planRunRefusals(evidence.planRun, head, evidence.repository));
  const compared = runId === undefined ? { refusals: [], stacks: [] } : compareWithArtifacts(evidence, runId);
  refusals.push(...compared.refusals);
  const inScope = compared.stacks.filter((s) => scope.flagId === undefined || s.flagId === scope.flagId);
  refusals.push(...applicabilityRefusals(inScope));
  if (refusals.length > 0 || runId === undefined) return { ok: false, refusals };
  if (!evidence.artifacts) {
    return {
      ok: false,
      refusals: [{ code: ApplyErrorCode.EVIDENCE_MISMATCH, message: "the plan run's artifacts were not read" }],
    };
  }
  return { ok: true, headSha: head, runId, stacks: inScope };
}
