/**
 * What every apply does once it knows what was approved (by the guard over a pull request's record, or by an
 * approver of a follow-up record): each approved stack planned again under the state lock and applied when its
 * fingerprint is the approved one (`apply-stacks.ts`), the plans that need approval posted on the pull request,
 * the apply record written as JSON files and posted as a comment, and shown in the job summary.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { GitHubClient } from '../github/client';
import { toGitHubError } from '../github/errors';
import type { CommentAuthor } from '../github/identity';
import { recordBodies } from '../github/record-parts';
import { buildPlanRecord } from '../plan/record';
import { renderPlanComment } from '../plan-markdown/render';
import type { StackToPlan } from '../stacks/stack-order';
import type { StackAccess } from '../terraform/stack-access';
import { applyStacks, type StackApplyResult, type StackToApply } from './apply-stacks';
import {
  followUpBody,
  recordResult,
  renderApplyRecord,
  stackApplyRecord,
  type ApplyRecordResult,
  type ApplyRunInfo,
} from './apply-record';
import { ApplyError, ApplyErrorCode } from './errors';
import type { ApprovedStack } from './guard';
import { synthesizedStacks, type StackSource } from './stack-source';

type Env = Readonly<Record<string, string | undefined>>;

/** What stays the same for every merge one apply run goes through. */
export interface ApplyContext {
  /** Repository root, checked out at the run's commit. */
  readonly repoDir: string;
  readonly env: Env;
  readonly octokit: GitHubClient;
  readonly owner: string;
  readonly repo: string;
  /** kitt's identity: only its comments are records. */
  readonly author: CommentAuthor;
  /** Saved plans (secrets: never uploaded). */
  readonly outDir: string;
  /** The apply record's JSON files, one per stack (safe to upload). */
  readonly recordDir: string;
  /** Where FLAGs are synthesized. */
  readonly synthOut: string;
  /** @default kitt's synthesis */
  readonly stackSource?: StackSource;
  /** Link to this run, for the records. @default none */
  readonly runUrl?: string;
  readonly onStack?: (result: StackApplyResult) => void;
  /** `GITHUB_STEP_SUMMARY`: the apply records, or why nothing was applied, are appended to it. @default none */
  readonly stepSummaryFile?: string;
  /**
   * Reaches addons stacks' Kubernetes APIs around their plan and apply (a tunnel; after their cell applied, once
   * its API is ready; before a destroy, the cluster's load balancers and volumes removed). @default none
   */
  readonly access?: StackAccess;
}

/** One merge to apply: its approved stacks, and where its config comes from. */
export interface ApplyStep {
  readonly run: ApplyRunInfo;
  readonly approved: readonly ApprovedStack[];
  /** Synthesize the merge commit from the checked-out tree (true) or from a git worktree of it (an older merge). */
  readonly checkedOut: boolean;
  /** The commit whose first parent still has the stacks whose destroys were approved. */
  readonly destroyFrom: string;
  /**
   * An approved follow-up record: its stacks that main no longer produces are its destroys, and every other stack
   * of the FLAG is planned too, with no approved fingerprint (a change there goes to the pull request for
   * approval: the next link of the chain). @default false
   */
  readonly followUp?: boolean;
}

export interface StepOutcome {
  readonly results: readonly StackApplyResult[];
  readonly result: ApplyRecordResult;
  readonly recordUrl: string;
  /** Comment ids of the plans posted for approval. */
  readonly followUps: readonly number[];
}

const APPLIED_STATUSES = new Set(['changes', 'waits', 'no-changes']);

/** Applies one merge's approved stacks and posts its apply record; never throws for a failed stack (see `result`). */
export async function executeApply(context: ApplyContext, binary: string, step: ApplyStep): Promise<StepOutcome> {
  const stacks = await stacksToApply(context, step);
  const results = await applyStacks({
    stacks,
    outDir: context.outDir,
    binary,
    env: context.env,
    provenance: { headSha: step.run.commit, ...(step.run.applyRunId ? { runId: step.run.applyRunId } : {}) },
    ...(context.onStack ? { onStack: context.onStack } : {}),
    ...(context.access ? { access: context.access } : {}),
  });
  writeRecordFiles(context.recordDir, results, step);
  const followUps = await postFollowUps(context, results, step.run);
  const record = renderApplyRecord(results, step.run);
  appendStepSummary(context, record.slice(record.indexOf('\n') + 1));
  const posted = await postComment(context, step.run.pr, record, 'posting the apply record');
  return { results, result: recordResult(results), recordUrl: posted.url, followUps };
}

/** The approved stacks with their synthesized directories; one missing stops the apply before it starts. */
async function stacksToApply(context: ApplyContext, step: ApplyStep): Promise<StackToApply[]> {
  const source = context.stackSource ?? synthesizedStacks(context.repoDir, context.synthOut);
  let present = step.approved.filter((s) => !s.removed && APPLIED_STATUSES.has(s.status));
  let removed = step.approved.filter((s) => s.removed);
  const flagIds = [...new Set(step.approved.map((s) => s.flagId))].sort();
  const current = step.checkedOut ? await source.current(flagIds) : await source.at(step.run.commit, flagIds);
  if (step.followUp) {
    const produced = new Set(current.map((c) => c.stack));
    const approved = new Map(present.map((s) => [s.stack, s]));
    removed = present.filter((s) => !produced.has(s.stack)).map((s) => ({ ...s, removed: true }));
    present = current.map(
      (c) =>
        approved.get(c.stack) ?? {
          flagId: c.flagId,
          stack: c.stack,
          layer: c.layer,
          status: 'changes',
          removed: false,
        },
    );
  }
  const before = await source.removed(`${step.destroyFrom}^1`, removed);
  const where = step.checkedOut ? 'main' : `merge commit ${step.run.commit.slice(0, 12)}`;
  const pick = (list: readonly StackToPlan[], s: ApprovedStack, destroy: boolean): StackToApply => {
    const stack = list.find((p) => p.stack === s.stack);
    if (!stack) {
      throw new ApplyError(
        ApplyErrorCode.RECORD_NOT_APPLICABLE,
        `the record approves ${destroy ? 'the destroy of ' : ''}${s.stack}, which synthesizing ${destroy ? 'the commit before the merge' : where} does not produce: nothing was applied`,
      );
    }
    return { stack, approved: s, destroy };
  };
  return [...present.map((s) => pick(current, s, false)), ...removed.map((s) => pick(before, s, true))];
}

/** `<stack>.json` per stack; an earlier merge a run catches up writes `<stack>.<commit12>.json` beside them. */
function writeRecordFiles(dir: string, results: readonly StackApplyResult[], step: ApplyStep): void {
  mkdirSync(dir, { recursive: true });
  const suffix = step.checkedOut ? '' : `.${step.run.commit.slice(0, 12)}`;
  for (const r of results) {
    const json = `${JSON.stringify(stackApplyRecord(r, step.run), null, 2)}\n`;
    writeFileSync(path.join(dir, `${r.stack}${suffix}.json`), json);
  }
}

/** Per FLAG, the plans made on main that need approval, as one record (in parts when long). */
async function postFollowUps(
  context: ApplyContext,
  results: readonly StackApplyResult[],
  run: ApplyRunInfo,
): Promise<number[]> {
  const ids: number[] = [];
  const waiting = results.filter((r) => r.outcome === 'needs-approval' && r.plan);
  for (const flagId of [...new Set(waiting.map((r) => r.flagId))]) {
    const plans = waiting.filter((r) => r.flagId === flagId).flatMap((r) => (r.plan ? [r.plan] : []));
    const record = buildPlanRecord(plans, {
      headSha: run.commit,
      ...(run.applyRunId ? { runId: run.applyRunId } : {}),
    });
    for (const part of recordBodies(renderPlanComment(record))) {
      const posted = await postComment(
        context,
        run.pr,
        followUpBody(run, flagId, part),
        `posting the plan of ${flagId} that needs approval`,
      );
      ids.push(posted.id);
    }
  }
  return ids;
}

export async function postComment(
  context: Pick<ApplyContext, 'octokit' | 'owner' | 'repo'>,
  pr: number,
  body: string,
  operation: string,
): Promise<{ id: number; url: string }> {
  try {
    const { data } = await context.octokit.rest.issues.createComment({
      owner: context.owner,
      repo: context.repo,
      issue_number: pr,
      body,
    });
    return { id: data.id, url: data.html_url };
  } catch (error) {
    throw toGitHubError(error, `${operation} on ${context.owner}/${context.repo}#${pr}`);
  }
}

/** The job summary shows what the run did; a summary that cannot be written must not stop the apply. */
export function appendStepSummary(context: Pick<ApplyContext, 'stepSummaryFile'>, markdown: string): void {
  if (!context.stepSummaryFile) return;
  try {
    appendFileSync(context.stepSummaryFile, markdown);
  } catch {
    // The apply record on the pull request and the job's log say the same.
  }
}

/** The error a run ends with when a stack failed: after every record was posted. */
export function failedError(failed: readonly StackApplyResult[], recordUrl: string): ApplyError {
  return new ApplyError(
    ApplyErrorCode.APPLY_FAILED,
    `${failed.map((r) => r.stack).join(', ')} failed; nothing after it was applied (the apply record says which stacks were: ${recordUrl}):\n${failed.map((r) => r.error).join('\n')}`,
  );
}
