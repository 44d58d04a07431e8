import type { StackResult } from '../plan/record';
import type { ApplyEvidence } from './evidence';
import { guardApply } from './guard';

const HEAD = 'a'.repeat(40);
const FP = 'f'.repeat(64);

function summary(stack: string, extra: Partial<StackResult> = {}): StackResult {
  return {
    kind: 'kitt-stack-result',
    version: 1,
    flagId: 'payments-dev-eu-west-2',
    stack,
    layer: 'flag',
    status: 'changes',
    fingerprint: FP,
    configHash: 'c1',
    headSha: HEAD,
    runId: '42',
    ...extra,
  };
}

function evidence(overrides: Partial<ApplyEvidence> = {}): ApplyEvidence {
  const stacks = [summary('payments-dev-eu-west-2-flag')];
  return {
    repository: 'acme/infra',
    pullRequest: { number: 7, author: 'alice', headSha: HEAD, merged: true },
    record: {
      heads: [HEAD],
      commentIds: [1],
      metadata: {
        version: 1,
        headSha: HEAD,
        runId: '42',
        stacks: stacks.map(({ flagId, stack, layer, status, fingerprint, configHash }) => ({
          flagId,
          stack,
          layer,
          status,
          ...(fingerprint ? { fingerprint } : {}),
          ...(configHash ? { configHash } : {}),
        })),
      },
    },
    reviews: [{ login: 'bob', state: 'APPROVED', commitId: HEAD }],
    planRun: {
      id: '42',
      path: '.github/workflows/plan.yml',
      event: 'pull_request',
      headSha: HEAD,
      conclusion: 'success',
      repository: 'acme/infra',
    },
    artifacts: { ok: true, summaries: stacks },
    ...overrides,
  };
}

const codes = (e: ApplyEvidence, scope = {}) => {
  const verdict = guardApply(e, scope);
  return verdict.ok ? [] : verdict.refusals.map((r) => r.code);
};

it('goes ahead when every piece of evidence holds together', () => {
  const verdict = guardApply(evidence());
  expect(verdict).toEqual({
    ok: true,
    headSha: HEAD,
    runId: '42',
    stacks: [
      {
        flagId: 'payments-dev-eu-west-2',
        stack: 'payments-dev-eu-west-2-flag',
        layer: 'flag',
        status: 'changes',
        fingerprint: FP,
        removed: false,
      },
    ],
  });
});

it('counts each reviewer’s latest verdict on the head: an approval withdrawn by a change request is none', () => {
  const reviews = [
    { login: 'bob', state: 'APPROVED', commitId: HEAD },
    { login: 'bob', state: 'CHANGES_REQUESTED', commitId: HEAD },
    { login: 'bob', state: 'COMMENTED', commitId: HEAD },
  ];
  expect(codes(evidence({ reviews }))).toEqual(['APPLY_NOT_APPROVED']);
});

describe('the approval and the record it approves', () => {
  const record = { ...evidence().record, writtenAt: '2025-01-01T10:00:00Z' };
  const approvedAt = (submittedAt?: string) => [
    { login: 'bob', state: 'APPROVED', commitId: HEAD, ...(submittedAt ? { submittedAt } : {}) },
  ];

  it('refuses an approval submitted before the record was last written', () => {
    const verdict = guardApply(evidence({ record, reviews: approvedAt('2025-01-01T09:59:59Z') }));
    expect(verdict).toEqual({
      ok: false,
      refusals: [
        {
          code: 'APPLY_NOT_APPROVED',
          message: expect.stringMatching(
            /approval of its final head a{12} predates the record .*bob at 2025-01-01T09:59:59Z/,
          ),
        },
      ],
    });
  });

  it('goes ahead with an approval submitted after the record was written', () => {
    expect(codes(evidence({ record, reviews: approvedAt('2025-01-01T10:00:01Z') }))).toEqual([]);
  });

  it('refuses an approval whose time GitHub did not give when the record’s is known', () => {
    expect(codes(evidence({ record, reviews: approvedAt() }))).toEqual(['APPLY_NOT_APPROVED']);
  });

  it('goes ahead when one reviewer approved after the record, though another approved before it', () => {
    const reviews = [
      ...approvedAt('2025-01-01T09:00:00Z'),
      { login: 'carol', state: 'APPROVED', commitId: HEAD, submittedAt: '2025-01-01T11:00:00Z' },
    ];
    expect(codes(evidence({ record, reviews }))).toEqual([]);
  });
});

it('takes the author’s approval in another letter case for the author’s', () => {
  expect(codes(evidence({ reviews: [{ login: 'ALICE', state: 'APPROVED', commitId: HEAD }] }))).toEqual([
    'APPLY_NOT_APPROVED',
  ]);
});

it('reports every reason, not only the first', () => {
  const e = evidence({
    reviews: [],
    planRun: { ...(evidence().planRun as NonNullable<ApplyEvidence['planRun']>), event: 'push', conclusion: 'failure' },
  });
  expect(codes(e)).toEqual(['APPLY_NOT_APPROVED', 'APPLY_PLAN_RUN_UNTRUSTED', 'APPLY_PLAN_RUN_UNTRUSTED']);
});

it('refuses a record that names no plan run, or a run GitHub does not know', () => {
  const e = evidence();
  const { runId: _none, ...metadata } = e.record.metadata as NonNullable<ApplyEvidence['record']['metadata']>;
  expect(codes({ ...e, record: { ...e.record, metadata } })).toEqual(['APPLY_PLAN_RUN_UNTRUSTED']);
  const { planRun: _gone, ...withoutRun } = e;
  expect(codes(withoutRun)).toEqual(['APPLY_PLAN_RUN_UNTRUSTED']);
});

it('refuses when the plan run planned a stack the record does not show, unless the record says it left some out', () => {
  const extra = summary('payments-dev-eu-west-2-cell-a1', { layer: 'cell' });
  const e = evidence({ artifacts: { ok: true, summaries: [summary('payments-dev-eu-west-2-flag'), extra] } });
  expect(codes(e)).toEqual(['APPLY_EVIDENCE_MISMATCH']);
  const metadata = { ...(e.record.metadata as NonNullable<ApplyEvidence['record']['metadata']>), truncated: true };
  const verdict = guardApply({ ...e, record: { ...e.record, metadata } });
  expect(verdict.ok && verdict.stacks.map((s) => s.stack)).toEqual([
    'payments-dev-eu-west-2-flag',
    'payments-dev-eu-west-2-cell-a1',
  ]);
});

it('refuses artifacts made for another head or run, or that cannot be read', () => {
  expect(
    codes(
      evidence({
        artifacts: { ok: true, summaries: [summary('payments-dev-eu-west-2-flag', { headSha: 'b'.repeat(40) })] },
      }),
    ),
  ).toEqual(['APPLY_EVIDENCE_MISMATCH']);
  expect(
    codes(evidence({ artifacts: { ok: true, summaries: [summary('payments-dev-eu-west-2-flag', { runId: '41' })] } })),
  ).toEqual(['APPLY_EVIDENCE_MISMATCH']);
  expect(codes(evidence({ artifacts: { ok: false, reason: 'not a zip' } }))).toEqual(['APPLY_EVIDENCE_MISMATCH']);
});

it('refuses a record whose stack is a preview or an error, but only for the FLAG in scope', () => {
  const preview = summary('payments-dev-eu-west-2-flag', { status: 'preview', fingerprint: undefined });
  const e = evidence({ artifacts: { ok: true, summaries: [preview] } });
  const metadata = {
    ...(e.record.metadata as NonNullable<ApplyEvidence['record']['metadata']>),
    stacks: [{ flagId: preview.flagId, stack: preview.stack, layer: 'flag', status: 'preview', configHash: 'c1' }],
  };
  const withPreview = { ...e, record: { ...e.record, metadata } };
  expect(codes(withPreview)).toEqual(['APPLY_RECORD_NOT_APPLICABLE']);
  expect(guardApply(withPreview, { flagId: 'other-prod-us-east-1' })).toMatchObject({ ok: true, stacks: [] });
});

it('refuses a pull request that is not merged', () => {
  expect(codes(evidence({ pullRequest: { number: 7, author: 'alice', headSha: HEAD, merged: false } }))).toEqual([
    'APPLY_PULL_REQUEST_NOT_FOUND',
  ]);
});

it('tells a record for an older head from no record at all', () => {
  const { metadata: _m, ...noMetadata } = evidence().record;
  expect(codes(evidence({ record: { ...noMetadata, heads: ['b'.repeat(40)] } }))).toEqual([
    'APPLY_RECORD_NOT_FOR_HEAD',
  ]);
  expect(codes(evidence({ record: { ...noMetadata, heads: [] } }))).toEqual(['APPLY_NO_RECORD']);
  expect(codes(evidence({ record: { ...noMetadata, heads: [HEAD] } }))).toEqual(['APPLY_NO_RECORD']);
});

it('does not count an approval whose reviewer GitHub no longer names (a deleted account)', () => {
  expect(codes(evidence({ reviews: [{ login: '', state: 'APPROVED', commitId: HEAD }] }))).toEqual([
    'APPLY_NOT_APPROVED',
  ]);
});
