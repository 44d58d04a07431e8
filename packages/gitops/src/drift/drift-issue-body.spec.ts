import { driftMarker, isDriftIssueOf, renderDriftIssue, type UnappliedMerge } from './drift-issue-body';

const run = { commit: 'c'.repeat(40) };

describe('the drift issue body', () => {
  it('is the FLAG’s only when its marker is the first line', () => {
    expect(isDriftIssueOf(`${driftMarker('acme-prod-us-east-1')}\n# Drift`, 'acme-prod-us-east-1')).toBe(true);
    expect(isDriftIssueOf(`${driftMarker('acme-prod-us-east-1')}\n`, 'acme-prod-us-east-10')).toBe(false);
    expect(isDriftIssueOf(`Quoting kitt:\n${driftMarker('acme-prod-us-east-1')}`, 'acme-prod-us-east-1')).toBe(false);
    expect(isDriftIssueOf(null, 'acme-prod-us-east-1')).toBe(false);
  });

  it('lists the first 50 merges without an apply record, oldest first, and counts the rest', () => {
    const unapplied: UnappliedMerge[] = Array.from({ length: 60 }, (_, i) => ({
      pr: i + 1,
      commit: `${i}`.padStart(40, 'a'),
      committedAt: '2026-12-01T00:00:00Z',
    }));
    const body = renderDriftIssue({ flagId: 'acme-prod-us-east-1', drifted: [], unapplied }, run);
    expect(body).toContain('- #1: commit');
    expect(body).toContain('- #50: commit');
    expect(body).not.toContain('- #51: commit');
    expect(body).toContain('- and 10 more, newer');
    expect(body).toContain('60 merged pull request(s) have no apply record');
  });
});
