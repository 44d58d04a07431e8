/**
 * The summarizer and renderer on real `terraform show -json` output written by others (Terraform 0.12 to 1.14,
 * OpenTofu), checked against Terraform's own rendering of the same plan where the source had one.
 */
import { isDestructive, planTotals } from './actions';
import { fingerprintPlan } from './fingerprint';
import { code } from '../plan-markdown/markdown';
import { buildPlanRecord, stackResultFromPlan } from './record';
import { renderPlanComment } from '../plan-markdown/render';
import { summarizePlan, type PlanSummary } from './summary';
import { realPlans, sensitiveStrings, type RealPlan } from './__fixtures__/fixtures';

const plans = realPlans();
const describeReal = plans ? describe : describe.skip;
const all: RealPlan[] = plans ?? [];
const withExpected = all.filter((p) => p.expected !== undefined);

const metaOf = (name: string) => ({
  flagId: 'acme-prod-us-east-1',
  stack: `acme-prod-us-east-1-${name}`,
  layer: 'flag' as const,
});

/** "Plan: 1 to import, 2 to add, 0 to change, 2 to destroy." from Terraform's text. */
function planLine(text: string) {
  const m = /^Plan: (?:(\d+) to import, )?(\d+) to add, (\d+) to change, (\d+) to destroy/m.exec(text);
  return m ? { import: Number(m[1] ?? 0), add: Number(m[2]), change: Number(m[3]), destroy: Number(m[4]) } : undefined;
}

const HEADLINE =
  /^\s+# (\S+) (will be created|will be updated in-place|will be destroyed|must be replaced|will be read during apply|will be imported|has moved to (\S+)|will no longer be managed by Terraform)/gm;

/** Address → what Terraform's text says happens to it, from the "will perform the following actions" part. */
function headlines(text: string): Map<string, string> {
  const start = text.indexOf('will perform the following actions:');
  const found = new Map<string, string>();
  if (start < 0) return found;
  for (const m of text.slice(start).matchAll(HEADLINE)) {
    if (m[3] !== undefined) found.set(m[3], 'moved');
    else found.set(m[1] as string, m[2] as string);
  }
  return found;
}

function verbOf(r: PlanSummary['resources'][number]): string {
  if (r.action === 'create') return 'will be created';
  if (r.action === 'update') return 'will be updated in-place';
  if (r.action === 'delete') return 'will be destroyed';
  if (r.action === 'read') return 'will be read during apply';
  if (r.action === 'forget') return 'will no longer be managed by Terraform';
  if (r.action.startsWith('replace')) return 'must be replaced';
  if (r.importing !== undefined) return 'will be imported';
  if (r.previousAddress !== undefined) return 'moved';
  return r.action;
}

describeReal('real plans', () => {
  it("finds the fixtures, most of them with Terraform's own rendering", () => {
    expect(all.length).toBeGreaterThanOrEqual(30);
    expect(withExpected.length).toBeGreaterThanOrEqual(10);
  });

  describe.each(all.map((p) => [p.name, p] as const))('%s', (name, plan) => {
    const summary = summarizePlan(plan.json, metaOf(name));
    let rendered: string | undefined;
    /** Rendered once per plan, on first use. */
    const markdown = (): string =>
      (rendered ??= renderPlanComment(
        buildPlanRecord([stackResultFromPlan(plan.json, metaOf(name))], { headSha: 'a'.repeat(40) }),
      ));

    it('is summarized with counts that add up to the resource changes', () => {
      const rc = ((plan.json as { resource_changes?: unknown[] }).resource_changes ?? []).length;
      const c = summary.counts;
      const forgetOnly = summary.resources.filter((r) => r.action === 'create-then-forget').length;
      const sum =
        c.create +
        c.update +
        c.delete +
        c.replaceDeleteBeforeCreate +
        c.replaceCreateBeforeDelete +
        c.read +
        c.noOp +
        c.forget -
        forgetOnly;
      expect(sum).toBe(rc);
    });

    it('renders within the default budget, with its counts in the table (or named as without changes)', () => {
      const t = planTotals(summary.counts);
      expect(markdown().length).toBeLessThanOrEqual(60_000);
      if (!summary.errored && !summary.hasChanges && summary.drift.length === 0) {
        expect(markdown()).toContain(`Stacks: ✅ no changes: ${code(metaOf(name).stack)}`);
        return;
      }
      expect(markdown()).toContain(`| ${code(metaOf(name).stack)} | flag | `);
      expect(markdown()).toMatch(new RegExp(`\\| ${t.add} \\| ${t.change} \\| ${t.destroy} \\| ${t.replace} \\|`));
    });

    it('names every delete and replace in the warning block', () => {
      const caution = markdown().slice(
        markdown().indexOf('> [!CAUTION]'),
        markdown().indexOf('<!-- kitt:details-start -->'),
      );
      for (const r of summary.resources.filter((r) => isDestructive(r.action)))
        expect(caution).toContain(code(r.address));
    });

    it('shows no value the plan marks sensitive', () => {
      const summaryJson = JSON.stringify(summary);
      for (const secret of sensitiveStrings(plan.json)) {
        expect(markdown()).not.toContain(secret);
        expect(summaryJson).not.toContain(secret);
      }
    });

    it('has a fingerprint that does not depend on key order', () => {
      const reordered = JSON.parse(
        JSON.stringify(plan.json, (_k, v: unknown) =>
          v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
        ),
      ) as unknown;
      expect(fingerprintPlan(reordered)).toBe(fingerprintPlan(plan.json));
    });
  });

  describe.each(withExpected.map((p) => [p.name, p] as const))("%s against Terraform's rendering", (name, plan) => {
    const summary = summarizePlan(plan.json, metaOf(name));
    const text = plan.expected as string;

    it('has the counts of Terraform\'s "Plan:" line', () => {
      const line = planLine(text);
      if (line === undefined) {
        expect(planTotals(summary.counts)).toEqual({ add: 0, change: 0, destroy: 0, replace: 0 });
        return;
      }
      const t = planTotals(summary.counts);
      expect({ import: summary.counts.import, add: t.add, change: t.change, destroy: t.destroy }).toEqual(line);
    });

    it('has the same action for every resource Terraform lists', () => {
      const expected = headlines(text);
      const actual = new Map(summary.resources.map((r) => [r.address, verbOf(r)]));
      expect(actual).toEqual(expected);
    });

    it('finds changes exactly when Terraform does not say "No changes"', () => {
      // A refresh-only plan (drift only) has no changes to apply in the sense of a PR plan.
      expect(summary.hasChanges).toBe(!/^No changes\./m.test(text) && !/This is a refresh-only plan/.test(text));
    });
  });
});
