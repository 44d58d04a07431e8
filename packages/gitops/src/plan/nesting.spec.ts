import { PlanFormatError } from './errors';
import { fingerprintPlan } from './fingerprint';
import { MAX_VALUE_NESTING } from './nesting';
import { nestingExceeds } from './redact';
import { stackResultFromPlan } from './record';
import { parseStackResult } from './stack-result';
import { summarizePlan } from './summary';

const meta = { flagId: 'acme-prod-us-east-1', stack: 'acme-prod-us-east-1-flag', layer: 'flag' } as const;

/** `{"a": {"a": … "leaf" …}}`, `levels` objects deep. */
function nested(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

function planWithAfter(after: unknown, key = 'after'): unknown {
  return {
    format_version: '1.2',
    resource_changes: [
      {
        address: 'aws_s3_bucket.logs',
        mode: 'managed',
        type: 'aws_s3_bucket',
        name: 'logs',
        change: { actions: ['create'], before: null, after: {}, [key]: after },
      },
    ],
  };
}

function thrown(run: () => unknown): PlanFormatError | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof PlanFormatError) return error;
    throw error;
  }
  return undefined;
}

describe('plans nested deeper than any Terraform value', () => {
  it('are refused by the summarizer with PLAN_TOO_DEEP and the field, not a stack overflow', () => {
    const error = thrown(() => summarizePlan(planWithAfter(nested(3_000)), meta));
    expect(error).toMatchObject({ code: 'PLAN_TOO_DEEP', path: 'resource_changes[0].change.after' });
  });

  it('are refused when the nesting is in a sensitivity mask', () => {
    const error = thrown(() => summarizePlan(planWithAfter(nested(3_000), 'after_sensitive'), meta));
    expect(error).toMatchObject({ code: 'PLAN_TOO_DEEP', path: 'resource_changes[0].change.after_sensitive' });
  });

  it('are refused by the fingerprint with PLAN_TOO_DEEP', () => {
    expect(thrown(() => fingerprintPlan(planWithAfter(nested(3_000))))?.code).toBe('PLAN_TOO_DEEP');
  });

  it('are refused when an output change nests that deep', () => {
    const plan = {
      format_version: '1.2',
      output_changes: { x: { actions: ['create'], before: null, after: nested(3_000) } },
    };
    expect(thrown(() => summarizePlan(plan, meta))).toMatchObject({
      code: 'PLAN_TOO_DEEP',
      path: 'output_changes.x.after',
    });
  });

  it(`are summarized up to ${MAX_VALUE_NESTING} levels`, () => {
    const summary = summarizePlan(planWithAfter(nested(MAX_VALUE_NESTING)), meta);
    expect(summary.resources[0]?.attributes).toHaveLength(1);
  });
});

describe('summary.json nested deeper than any Terraform value', () => {
  it('is refused with PLAN_TOO_DEEP and the field before the renderer sees it', () => {
    const result = JSON.parse(JSON.stringify(stackResultFromPlan(planWithAfter({ tags: 'x' }), meta))) as {
      summary: { resources: { attributes: { after?: unknown }[] }[] };
    };
    const attribute = result.summary.resources[0]?.attributes[0];
    if (!attribute) throw new Error('fixture has no attribute');
    attribute.after = nested(3_000);
    expect(thrown(() => parseStackResult(result))).toMatchObject({
      code: 'PLAN_TOO_DEEP',
      path: 'summary.resources[0].attributes[0].after',
    });
  });
});

describe('nestingExceeds', () => {
  it('counts objects and lists, not scalars', () => {
    expect(nestingExceeds('x', 0)).toBe(false);
    expect(nestingExceeds({ a: [1] }, 2)).toBe(false);
    expect(nestingExceeds({ a: [1] }, 1)).toBe(true);
  });

  it('walks a million levels without running out of stack', () => {
    let deep: unknown = 0;
    for (let i = 0; i < 1_000_000; i++) deep = [deep];
    expect(nestingExceeds(deep, MAX_VALUE_NESTING)).toBe(true);
  });
});
