import { PlanFormatError } from './errors';
import { stackResultFromPlan } from './record';
import { parseStackResult } from './stack-result';
import { fixturePlan } from './__fixtures__/fixtures';

const meta = { flagId: 'acme-prod-us-east-1', stack: 'acme-prod-us-east-1-flag', layer: 'flag' as const };

/** A `summary.json` as read back from disk: plain JSON, free to edit. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test edits the JSON freely, as a person could
function summaryJson(): Record<string, any> {
  return JSON.parse(JSON.stringify(stackResultFromPlan(fixturePlan('replace.plan.json'), meta)));
}

function refusal(json: unknown): PlanFormatError {
  try {
    parseStackResult(json);
  } catch (error) {
    if (error instanceof PlanFormatError) return error;
    throw error;
  }
  throw new Error('parseStackResult accepted the file');
}

describe('parseStackResult', () => {
  it('returns the file it checked, not a copy that drops the fields it does not check', () => {
    const json = summaryJson();
    expect(parseStackResult(json)).toBe(json);
  });

  it('names a field of the wrong type, what it received and what would be right', () => {
    const json = summaryJson();
    json.summary.counts.create = '1';
    expect(refusal(json)).toMatchObject({
      code: 'STACK_RESULT_INVALID',
      path: 'summary.counts.create',
      message: 'summary.counts.create is not a number',
      received: '1',
      expected: 'a number',
    });
  });

  it('names a value outside its list with the allowed values', () => {
    const json = summaryJson();
    json.summary.resources[0].action = 'explode';
    expect(refusal(json)).toMatchObject({
      path: 'summary.resources[0].action',
      expected:
        'one of create, update, delete, replace-delete-before-create, replace-create-before-delete, read, no-op, forget, create-then-forget',
    });
  });

  it('reports the first bad field in the order the file is read: envelope, then summary, then the diagram', () => {
    const json = summaryJson();
    json.summary.hasChanges = 'yes';
    json.layer = 'cells';
    json.networkDiagram = 'x';
    expect(refusal(json)).toMatchObject({ path: 'layer', expected: 'one of flag, cell, addons' });
  });

  it('refuses a summary of another kind as a whole, naming the summary', () => {
    const json = summaryJson();
    json.summary.kind = 'other';
    expect(refusal(json)).toMatchObject({ path: 'summary', expected: "a plan summary (kind 'kitt-plan-summary')" });
  });

  it('refuses a missing field as one of the wrong type', () => {
    const json = summaryJson();
    delete json.stack;
    expect(refusal(json)).toMatchObject({ path: 'stack', message: 'stack is not a string' });
  });

  it('refuses what is not a summary by its kind', () => {
    expect(refusal([1])).toMatchObject({ path: 'kind', received: [1], expected: "'kitt-stack-result'" });
  });

  it('refuses a preview list with an entry that is not an address, naming the list', () => {
    const json = { ...summaryJson(), previewResources: ['a.b', 3] };
    expect(refusal(json)).toMatchObject({ path: 'previewResources', expected: 'a list of resource addresses' });
  });

  it('takes any number as a count, as JSON reads it', () => {
    const json = summaryJson();
    json.summary.counts.read = JSON.parse('1e999');
    expect(parseStackResult(json)).toBe(json);
  });
});
