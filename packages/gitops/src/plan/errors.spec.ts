import { MAX_RECEIVED_CHARS, PlanFormatError, receivedPreview } from './errors';
import { summarizePlan } from './summary';

const meta = { flagId: 'acme-prod-us-east-1', stack: 'acme-prod-us-east-1-flag', layer: 'flag' } as const;

function refusal(plan: unknown): PlanFormatError {
  try {
    summarizePlan(plan, meta);
  } catch (error) {
    if (error instanceof PlanFormatError) return error;
    throw error;
  }
  throw new Error('the plan was accepted');
}

describe('PLAN_FIELD_INVALID', () => {
  it('echoes a 4 MB string cut to 200 characters, with an ellipsis and its length', () => {
    const error = refusal({ format_version: '1.2', errored: 'y'.repeat(4_000_000) });
    expect(error).toMatchObject({ code: 'PLAN_FIELD_INVALID', path: 'errored' });
    expect(error.received).toBe(`${'y'.repeat(MAX_RECEIVED_CHARS)}… (4000000 characters)`);
  });

  it('describes a large wrongly typed list instead of echoing it', () => {
    const error = refusal({ format_version: '1.2', terraform_version: ['z'.repeat(1_000_000)] });
    expect(error).toMatchObject({ code: 'PLAN_FIELD_INVALID', path: 'terraform_version' });
    expect(error.received).toBe('(a list of 1 item(s), 1000004 characters as JSON)');
  });

  it('echoes a short wrongly typed value as it is', () => {
    expect(refusal({ format_version: '1.2', terraform_version: 7 }).received).toBe(7);
  });
});

describe('receivedPreview', () => {
  it('keeps a string of 200 characters whole', () => {
    expect(receivedPreview('a'.repeat(200))).toBe('a'.repeat(200));
  });

  it('keeps a small object as it is', () => {
    expect(receivedPreview({ a: [1, 2] })).toEqual({ a: [1, 2] });
  });

  it('describes a deeply nested value without serializing it', () => {
    let deep: unknown = 0;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(receivedPreview(deep)).toBe('(a list of 1 item(s), nested deeply)');
  });
});
