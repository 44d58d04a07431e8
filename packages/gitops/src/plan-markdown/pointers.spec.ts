/**
 * The record sends readers to the plan run's artifacts by name: those names must be the ones the plan workflow
 * uploads, or the pointer is a lie.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { artifactsText } from './render';

const workflow = (name: string) => readFileSync(resolve(__dirname, `../../../../.github/workflows/${name}`), 'utf8');
const PLAN_WORKFLOW = workflow('plan.yml');
const RECORD_WORKFLOW = workflow('record.yml');

it("names the artifacts that hold each stack's summary.json as the plan workflow uploads them", () => {
  expect(artifactsText({ runId: '7' })).toContain('<code>plan-summaries-\\*</code>');
  expect(PLAN_WORKFLOW).toMatch(
    /name: plan-summaries-\$\{\{ matrix\.name \}\}\n\s+path: out\/plans\/\*\*\/summary\.json/,
  );
});

it('names the plan-record artifact, which the record workflow uploads with the complete metadata', () => {
  expect(RECORD_WORKFLOW).toMatch(/name: plan-record\n[\s\S]*?record\/plan-record\.json/);
  expect(RECORD_WORKFLOW).toContain('--metadata-out "$out/plan-record.json"');
});

it('sends the reader to the job summary of the run that renders the record, which is where kitt render writes it', () => {
  expect(RECORD_WORKFLOW).toMatch(/npx kitt render --untrusted/);
  expect(PLAN_WORKFLOW).not.toMatch(/npx kitt render/);
});
