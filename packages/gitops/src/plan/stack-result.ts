/**
 * `summary.json`: the stack result the runner writes per stack (`<out>/<flag-id>/<stack>/summary.json`) and
 * `kitt render` reads back. The schema is the contract; the `StackResult` type is inferred from it. A hand-edited,
 * truncated or crafted file must fail with the field at fault, not crash the renderer halfway through a comment.
 * The schema checks what the renderer relies on (fields it reads, values it walks); a summary's other fields are
 * rendered as text and pass as they are.
 */
import { z } from 'zod';
import { LAYERS } from '@kitt/flag-config';
import { issuePath, valueAt } from '../json/issue-path';
import { isPlainObject } from '../json/own-properties';
import { COUNT_KEYS, PLAN_ACTIONS } from './actions';
import { PlanFormatError } from './errors';
import { checkNetworkDiagramText } from './network-diagram-check';
import { MAX_VALUE_NESTING, checkNesting } from './nesting';
import { nestingExceeds } from './redact';
import { STACK_RESULT_KIND, STACK_STATUSES } from './record';
import type { PlanSummary } from './summary';

// Each schema's error text is what would be right: it becomes `<path> is not <text>`.
const text = z.string({ error: 'a string' });
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `one of ${values.join(', ')}` });
const flag = z.boolean({ error: 'true or false' });
// Any number, as `typeof` sees it (zod's own number refuses a count of 1e999).
const count = z.custom<number>((value) => typeof value === 'number', { error: 'a number' });
const list = <T extends z.ZodType>(item: T) => z.array(item, { error: 'a list' });
const entry = <T extends z.ZodRawShape>(shape: T) => z.object(shape, { error: 'an object' });

/** A plan value the renderer walks recursively: any JSON or none, but not nested past `MAX_VALUE_NESTING`. */
const planValue = z
  .unknown()
  .superRefine((value, ctx) => {
    if (nestingExceeds(value, MAX_VALUE_NESTING)) ctx.addIssue({ code: 'custom', params: { tooDeep: true } });
  })
  .optional();

const resourceChange = entry({
  address: text,
  action: oneOf(PLAN_ACTIONS),
  replacePaths: z.array(z.unknown(), { error: 'a list of attribute paths' }),
  attributes: list(entry({ path: text, before: planValue, after: planValue })),
});

const planSummary = z
  .custom((value) => isPlainObject(value) && value.kind === 'kitt-plan-summary', {
    error: "a plan summary (kind 'kitt-plan-summary')",
  })
  .pipe(
    z.object({
      counts: z.object(Object.fromEntries(COUNT_KEYS.map((key) => [key, count])), { error: 'an object of counts' }),
      resources: list(resourceChange),
      drift: list(resourceChange),
      outputs: list(entry({ name: text, action: oneOf(PLAN_ACTIONS), before: planValue, after: planValue })),
      errored: flag,
      complete: flag,
      applyable: flag,
      hasChanges: flag,
    }),
  )
  // Typed as the summarizer's output: the fields checked above are the ones the renderer could trip on.
  .transform((checked) => checked as unknown as PlanSummary);

const networkDiagram = z
  .object({ mermaid: text, capacityTable: text }, { error: 'an object with mermaid and capacityTable' })
  .superRefine((diagram, ctx) => {
    // Markdown that goes into the record as it is: only the allocator's own shapes pass.
    try {
      checkNetworkDiagramText(diagram.mermaid, diagram.capacityTable);
    } catch (error) {
      ctx.addIssue({ code: 'custom', params: { error } });
    }
  });

/** The `summary.json` contract. Keys are in the order they are checked: the first bad one is reported. */
export const stackResultSchema = z.object({
  kind: z.literal(STACK_RESULT_KIND, { error: `'${STACK_RESULT_KIND}'` }),
  /** Version of this shape. */
  version: z.literal(1, { error: '1' }),
  flagId: text,
  stack: text,
  layer: oneOf(LAYERS),
  status: oneOf(STACK_STATUSES),
  /** `fingerprintPlan` of its plan (lowercase hex SHA-256). */
  fingerprint: text.optional(),
  /** Hash of the stack's synthesized `cdk.tf.json`. */
  configHash: text.optional(),
  /** For `waits`: the upstream stack it waits for. */
  waitsFor: text.optional(),
  /** For `error`: what failed, as text (terraform's output). */
  error: text.optional(),
  headSha: text.optional(),
  baseSha: text.optional(),
  runId: text.optional(),
  /** The stack is gone at head: this is its destroy plan, made from base's synthesized config. @default false */
  removed: flag.optional(),
  /** The redacted plan summary. @default absent when the stack was not planned */
  summary: planSummary.optional(),
  /**
   * For `waits` and `preview`: addresses of the resources its synthesized config would create. Read from the config, not a
   * Terraform plan, and labelled so.
   */
  previewResources: z
    .custom<readonly string[]>((value) => Array.isArray(value) && value.every((a) => typeof a === 'string'), {
      error: 'a list of resource addresses',
    })
    .optional(),
  /** Set for the flag stack of a new FLAG: its network plan. */
  networkDiagram: networkDiagram.optional(),
});

/** `summary.json` as the runner writes it per stack. */
export type StackResult = Readonly<z.infer<typeof stackResultSchema>>;

/** True for a parsed `summary.json` (as opposed to raw `terraform show -json` output). */
export function isStackResult(json: unknown): boolean {
  return isPlainObject(json) && json.kind === STACK_RESULT_KIND;
}

/**
 * Checks a parsed `summary.json`; throws `PlanFormatError` (`STACK_RESULT_INVALID`) naming the first bad field,
 * `PLAN_TOO_DEEP` for a value nested too deeply. Returns the checked value itself, not a copy.
 */
export function parseStackResult(json: unknown): StackResult {
  // The kind tells a summary from a raw plan: checked first, on anything.
  if (!isStackResult(json)) {
    const expected = `'${STACK_RESULT_KIND}'`;
    const received = isPlainObject(json) ? json.kind : json;
    throw new PlanFormatError('STACK_RESULT_INVALID', `kind is not ${expected}`, 'kind', received, expected);
  }
  const result = stackResultSchema.safeParse(json);
  if (result.success) return json as StackResult;
  const [issue] = result.error.issues;
  if (issue === undefined) throw new Error('zod reported a failure without an issue');
  const path = issuePath(issue.path);
  const params = (issue as { params?: { tooDeep?: boolean; error?: unknown } }).params;
  if (params?.error !== undefined) throw params.error;
  if (params?.tooDeep) checkNesting(valueAt(json, issue.path), path);
  throw new PlanFormatError(
    'STACK_RESULT_INVALID',
    `${path} is not ${issue.message}`,
    path,
    valueAt(json, issue.path),
    issue.message,
  );
}
