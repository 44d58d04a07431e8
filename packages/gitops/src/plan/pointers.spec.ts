/**
 * The record sends readers to the plan run's artifacts by name: those names must be the ones the plan workflow
 * uploads, or the pointer is a lie.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { artifactsText } from './render';

const PLAN_WORKFLOW = readFileSync(resolve(__dirname, '../../../../.github/workflows/plan.yml'), 'utf8');

it("names the artifacts that hold each stack's summary.json as the plan workflow uploads them", () => {
  expect(artifactsText({ runId: '7' })).toContain('<code>plan-summaries-\\*</code>');
  expect(PLAN_WORKFLOW).toMatch(
    /name: plan-summaries-\$\{\{ matrix\.name \}\}\n\s+path: out\/plans\/\*\*\/summary\.json/,
  );
});

it('names the plan-record artifact, which the workflow uploads with the complete metadata', () => {
  expect(PLAN_WORKFLOW).toMatch(/name: plan-record\n[\s\S]*?out\/plan-record\.json/);
  expect(PLAN_WORKFLOW).toContain('--metadata-out out/plan-record.json');
});
