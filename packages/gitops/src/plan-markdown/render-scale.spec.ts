import { GENERATED_HEAD, generatedRecord } from '../plan/__fixtures__/generated-record';
import { generatePlan } from '../plan/__fixtures__/generate';
import { code } from './markdown';
import { stackResultFromPlan } from '../plan/record';
import { GITHUB_MAX_CHARS, readPlanMetadata, renderJobSummary, renderPlanComment } from './render';
import { splitRecordParts } from './split-record';

/** The poster puts one marker line (at most 100 characters) above each part. */
const MARKER_LINE = 100;

describe.each([250, 3_000])('a record of %i stacks, most of them without changes', (stacks) => {
  const { record, destroyed } = generatedRecord({ stacks });
  const markdown = renderPlanComment(record);
  const parts = splitRecordParts(markdown);
  const all = parts.join('');

  it("fits each part in a comment with the poster's marker line", () => {
    for (const part of parts) expect(part.length + MARKER_LINE).toBeLessThanOrEqual(GITHUB_MAX_CHARS);
  });

  it('names every stack where a person reads it, with its status', () => {
    const visible = all.replace(/<!--[\s\S]*?-->/g, '');
    for (const s of record.stacks) expect(visible).toContain(s.stack);
    expect(visible).toContain(`${stacks - 6} stack(s) without changes`);
  });

  it("lists the destroyed address in part 1's warning block, before the stack tables", () => {
    const first = parts[0] as string;
    const caution = first.indexOf('> [!CAUTION]');
    expect(caution).toBeGreaterThan(0);
    expect(first.indexOf(`**destroy** ${code(destroyed.address)} in ${code(destroyed.stack)}`)).toBeGreaterThan(
      caution,
    );
    expect(first.indexOf('### ')).toBeGreaterThan(caution);
  });

  it('shows the stacks with changes in one table before the stacks without', () => {
    const review = all.indexOf('stack(s) to review');
    expect(review).toBeGreaterThan(0);
    expect(all.indexOf('stack(s) without changes')).toBeGreaterThan(review);
    expect(all.match(/\| Stack \| Layer \| Status \|/g)).toHaveLength(1);
  });

  it('carries metadata the parts read back as one, with every stack to review', () => {
    const metadata = readPlanMetadata(markdown);
    expect(metadata?.headSha).toBe(GENERATED_HEAD);
    const named = new Set(metadata?.stacks.map((s) => s.stack));
    for (const s of record.stacks.filter((x) => x.status === 'changes')) expect(named.has(s.stack)).toBe(true);
    expect(metadata?.truncated ?? false).toBe(named.size < stacks);
  });

  it('marks each part as part k of n for the same head', () => {
    if (parts.length === 1) return expect(markdown).not.toContain('kitt:plan-part');
    parts.slice(1).forEach((part, i) => {
      expect(part.startsWith(`**Plan record, part ${i + 2} of ${parts.length}** for head ${GENERATED_HEAD}`)).toBe(
        true,
      );
    });
  });

  it('gives the job summary every stack and every destroy, under 1 MiB, without metadata', () => {
    const summary = renderJobSummary(record);
    expect(summary.length).toBeLessThanOrEqual(1_000_000);
    for (const s of record.stacks) expect(summary).toContain(s.stack);
    expect(summary).toContain(`**destroy** ${code(destroyed.address)} in ${code(destroyed.stack)}`);
    expect(summary).not.toContain('kitt:plan-metadata');
    expect(summary).toContain('<details><summary>');
  });
});

it('takes more than one comment for 3,000 stacks', () => {
  expect(splitRecordParts(renderPlanComment(generatedRecord({ stacks: 3_000 }).record)).length).toBeGreaterThan(1);
});

describe('the job summary', () => {
  it('stays within its limit in bytes, not characters, when details are full of multi-byte arrows, and names the artifacts for the rest', () => {
    const big = stackResultFromPlan(generatePlan({ changes: 400, destructive: 20 }), {
      flagId: 'acme-prod-us-east-1',
      stack: 'acme-prod-us-east-1-flag',
      layer: 'flag',
    });
    const summary = renderJobSummary({ headSha: GENERATED_HEAD, runId: '7', stacks: [big] }, { maxBytes: 100_000 });
    // In full, these details are 99,212 characters but 100,063 bytes: counting characters would overshoot.
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(100_000);
    expect(summary).toContain('<details><summary>');
    expect(summary).toContain(
      "the <code>plan-summaries-\\*</code> artifacts of run <code>7</code> (each stack's <code>summary.json</code>) hold every change.",
    );
  });
});

it('cuts a job summary whose stack list alone is over its limit, saying so and naming the artifacts', () => {
  const { record } = generatedRecord({ stacks: 3_000 });
  const summary = renderJobSummary(record, { maxBytes: 30_000 });
  expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(30_000);
  expect(summary).toContain('…(the job summary is cut here for room. the <code>plan-summaries-\\*</code> artifacts');
  expect(summary).toContain("the <code>plan-record</code> artifact every stack's fingerprint.)");
});

describe('readPlanMetadata of a record in parts', () => {
  const markdown = renderPlanComment(generatedRecord({ stacks: 3_000 }).record);
  const parts = splitRecordParts(markdown);

  it('reads the parts back as one, whatever their order', () => {
    expect(readPlanMetadata([...parts].reverse().join('\n'))).toEqual(readPlanMetadata(markdown));
  });

  it('reads nothing when a part is missing: a guard must not act on part of a record', () => {
    expect(readPlanMetadata(parts.slice(1).join('\n'))).toBeUndefined();
  });
});

it('says in part 1 that the record goes on, and in which parts', () => {
  const first = splitRecordParts(renderPlanComment(generatedRecord({ stacks: 3_000 }).record))[0] as string;
  expect(first).toMatch(/^# Plan: .*\n\n\*\*Part 1 of \d+\.\*\* The record goes on in parts? 2/);
});
