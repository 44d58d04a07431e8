/**
 * `terraform show -json` stdout → the plan JSON. That stdout is plan data (every sensitive value, `variables`
 * included, in clear), never error text: nothing here puts any of it into a message. Not even `JSON.parse`'s own
 * message, which quotes the text around the fault.
 *
 * Terraform may print something after the JSON (a warning line); a whole JSON object followed by noise is still
 * the plan. Output cut short (a kill, a timeout) has no whole JSON object and is refused: fail closed.
 */

/** The plan, read from stdout. */
export interface ShowPlan {
  readonly ok: true;
  /** The JSON object alone, without what followed it. Holds sensitive values: keep it in the job. */
  readonly planJsonText: string;
  readonly planJson: unknown;
  /** Characters after the JSON object (ignored). */
  readonly trailingChars: number;
}

/** Why stdout holds no plan, in words that quote none of it. */
export interface ShowNoPlan {
  readonly ok: false;
  readonly code: 'PLAN_NOT_JSON';
  readonly reason: string;
}

/**
 * Index just past the first complete top-level JSON object or list starting at `start` (which must be `{` or
 * `[`), or undefined when the text ends first. Counts brackets outside strings only; validity is left to
 * `JSON.parse`. Iterative: any nesting depth costs no stack.
 */
export function endOfFirstJsonValue(text: string, start: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) depth++;
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return undefined;
}

/** Where `JSON.parse` stopped, from its message (the message itself is never shown: it quotes the input). */
function parsePosition(error: unknown): string {
  const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
  return position === undefined ? '' : ` at character ${position}`;
}

function noPlan(reason: string): ShowNoPlan {
  return { ok: false, code: 'PLAN_NOT_JSON', reason };
}

/** Reads `terraform show -json` stdout: the whole of it as JSON, or a whole JSON object followed by noise. */
export function readShowOutput(stdout: string): ShowPlan | ShowNoPlan {
  try {
    return { ok: true, planJsonText: stdout, planJson: JSON.parse(stdout) as unknown, trailingChars: 0 };
  } catch {
    // Not JSON as a whole: look for a whole object followed by something else.
  }
  const start = stdout.search(/\S/);
  if (start < 0) return noPlan('stdout is empty');
  if (stdout[start] !== '{') return noPlan('stdout does not start with a JSON object');
  const end = endOfFirstJsonValue(stdout, start);
  if (end === undefined) return noPlan('stdout ends before its JSON object does (output cut short?)');
  const planJsonText = stdout.slice(start, end);
  try {
    const planJson = JSON.parse(planJsonText) as unknown;
    return { ok: true, planJsonText, planJson, trailingChars: stdout.length - end };
  } catch (error) {
    return noPlan(`stdout's JSON object is not valid JSON${parsePosition(error)}`);
  }
}
