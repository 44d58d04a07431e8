/**
 * The subset of GitHub Actions expressions (`${{ }}`) the workflows use, evaluated as the runner does: literals
 * (`'text'` with `''` for a quote, numbers, true, false, null), context paths (`github.event.x`, `steps.id.outputs.y`,
 * `pull_requests[0]`, `a['b']`), `!`, `==`, `!=` (strings compared ignoring case), `&&` and `||` (which yield an
 * operand, not a boolean), parentheses, and the functions `always()`, `success()`, `failure()`, `cancelled()`,
 * `fromJSON()`, `toJSON()`, `contains()`, `startsWith()`, `endsWith()`, `format()`, and `hashFiles()` of literal paths
 * under `github.workspace` (no glob patterns). Anything else (an unknown
 * function, context or operator) throws, so a workflow that starts using more fails its test instead of being run
 * wrongly. A missing property is `null`, as on GitHub.
 */

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

export type Value = null | boolean | number | string | readonly Value[] | { readonly [key: string]: Value };

/** What an expression can read: the contexts by name, and the job's status for the status functions. */
export interface ExpressionContext {
  readonly contexts: Readonly<Record<string, Value>>;
  /**
   * `success()` / `failure()` / `cancelled()`: the status of the job so far, or for a job's `if` of the jobs it
   * needs (`skipped` when one was skipped: then neither success() nor failure() holds).
   */
  readonly status: 'success' | 'failure' | 'cancelled' | 'skipped';
}

export class ExpressionError extends Error {}

type Token =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'name'; value: string }
  | { kind: 'op'; value: string };

const OPERATORS = ['==', '!=', '&&', '||', '<=', '>=', '!', '(', ')', '[', ']', '.', ',', '<', '>', '*'];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= source.length) throw new ExpressionError(`unterminated string in: ${source}`);
        if (source[i] === "'" && source[i + 1] === "'") {
          value += "'";
          i += 2;
        } else if (source[i] === "'") {
          i++;
          break;
        } else {
          value += source[i++];
        }
      }
      tokens.push({ kind: 'string', value });
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(source[i + 1] ?? ''))) {
      const match = /^-?\d+(\.\d+)?/.exec(source.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'number', value: Number(match[0]) });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(source.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'name', value: match[0] });
      i += match[0].length;
    } else {
      const op = OPERATORS.find((o) => source.startsWith(o, i));
      if (op === undefined) throw new ExpressionError(`unsupported character '${c}' in: ${source}`);
      tokens.push({ kind: 'op', value: op });
      i += op.length;
    }
  }
  return tokens;
}

/** Recursive descent over the tokens, evaluating as it goes (`&&` and `||` still read both sides, as they must parse). */
class Parser {
  private at = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
    private readonly ctx: ExpressionContext,
  ) {}

  parse(): Value {
    const value = this.or();
    if (this.at < this.tokens.length) this.fail(`unexpected '${this.peek()?.value}'`);
    return value;
  }

  private fail(message: string): never {
    throw new ExpressionError(`${message} in: ${this.source}`);
  }

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private takeOp(op: string): boolean {
    const t = this.peek();
    if (t?.kind === 'op' && t.value === op) {
      this.at++;
      return true;
    }
    return false;
  }

  private expectOp(op: string): void {
    if (!this.takeOp(op)) this.fail(`expected '${op}'`);
  }

  private or(): Value {
    let left = this.and();
    while (this.takeOp('||')) {
      const right = this.and();
      left = truthy(left) ? left : right;
    }
    return left;
  }

  private and(): Value {
    let left = this.equality();
    while (this.takeOp('&&')) {
      const right = this.equality();
      left = truthy(left) ? right : left;
    }
    return left;
  }

  private equality(): Value {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (t?.kind === 'op' && ['<', '>', '<=', '>='].includes(t.value)) this.fail(`the operator '${t.value}' is not supported`);
      if (this.takeOp('==')) left = looseEquals(left, this.unary());
      else if (this.takeOp('!=')) left = !looseEquals(left, this.unary());
      else return left;
    }
  }

  private unary(): Value {
    if (this.takeOp('!')) return !truthy(this.unary());
    return this.postfix();
  }

  private postfix(): Value {
    let value = this.primary();
    for (;;) {
      if (this.takeOp('.')) {
        const t = this.peek();
        if (t?.kind === 'op' && t.value === '*') this.fail("object filters ('.*') are not supported");
        if (t?.kind !== 'name') this.fail('expected a property name');
        this.at++;
        value = property(value, t.value);
      } else if (this.takeOp('[')) {
        const key = this.or();
        this.expectOp(']');
        value = typeof key === 'number' ? (Array.isArray(value) ? (value[key] ?? null) : null) : property(value, String(key));
      } else {
        return value;
      }
    }
  }

  private primary(): Value {
    const t = this.peek();
    if (t === undefined) this.fail('unexpected end');
    this.at++;
    if (t.kind === 'string' || t.kind === 'number') return t.value;
    if (t.kind === 'op') {
      if (t.value !== '(') this.fail(`unexpected '${t.value}'`);
      const value = this.or();
      this.expectOp(')');
      return value;
    }
    if (t.value === 'true') return true;
    if (t.value === 'false') return false;
    if (t.value === 'null') return null;
    if (this.takeOp('(')) {
      const args: Value[] = [];
      if (!this.takeOp(')')) {
        do args.push(this.or());
        while (this.takeOp(','));
        this.expectOp(')');
      }
      return this.call(t.value, args);
    }
    if (!(t.value in this.ctx.contexts)) this.fail(`unknown context '${t.value}'`);
    return this.ctx.contexts[t.value] ?? null;
  }

  /**
   * GitHub's `hashFiles`: the SHA-256 of the files' SHA-256 digests, in path order; empty when none exists. Only
   * literal paths: a glob would need the runner's matcher, and a workflow using one should fail here, not hash wrongly.
   */
  private hashFiles(paths: readonly string[]): string {
    if (paths.some((p) => /[*?[\]!]/.test(p))) return this.fail('hashFiles() of a glob pattern is not supported');
    const workspace = property(this.ctx.contexts.github ?? null, 'workspace');
    if (typeof workspace !== 'string') return this.fail('hashFiles() needs github.workspace');
    const files = paths
      .map((p) => resolve(workspace, p))
      .filter((file) => existsSync(file) && statSync(file).isFile())
      .sort();
    if (files.length === 0) return '';
    const all = createHash('sha256');
    for (const file of files) all.update(createHash('sha256').update(readFileSync(file)).digest());
    return all.digest('hex');
  }

  private call(name: string, args: Value[]): Value {
    const [a = null, b = null] = args;
    switch (name.toLowerCase()) {
      case 'always':
        return true;
      case 'success':
        return this.ctx.status === 'success';
      case 'failure':
        return this.ctx.status === 'failure';
      case 'cancelled':
        return this.ctx.status === 'cancelled';
      case 'fromjson':
        try {
          return JSON.parse(String(a)) as Value;
        } catch (error) {
          return this.fail(`fromJSON of text that is not JSON (${(error as Error).message}): ${String(a).slice(0, 200)}`);
        }
      case 'tojson':
        return JSON.stringify(a, null, 2);
      case 'contains':
        return Array.isArray(a)
          ? a.some((item) => looseEquals(item, b))
          : toText(a).toLowerCase().includes(toText(b).toLowerCase());
      case 'startswith':
        return toText(a).toLowerCase().startsWith(toText(b).toLowerCase());
      case 'endswith':
        return toText(a).toLowerCase().endsWith(toText(b).toLowerCase());
      case 'hashfiles':
        return this.hashFiles(args.map(toText));
      case 'format':
        return toText(a).replace(/\{(\d+)\}/g, (_m, n: string) => toText(args[Number(n) + 1] ?? null));
      default:
        return this.fail(`the function '${name}' is not supported`);
    }
  }
}

function property(value: Value, key: string): Value {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const found = Object.entries(value).find(([k]) => k.toLowerCase() === key.toLowerCase());
  return found ? found[1] : null;
}

export function truthy(value: Value): boolean {
  return !(value === null || value === false || value === 0 || value === '' || Number.isNaN(value));
}

function toNumber(value: Value): number {
  if (value === null) return 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value.trim() === '' ? 0 : Number(value);
  return NaN;
}

/** GitHub's `==`: strings ignoring case; other mixed types as numbers; objects only as the same object. */
function looseEquals(a: Value, b: Value): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (typeof a === 'object' && a !== null) return a === b;
  if (typeof b === 'object' && b !== null) return false;
  if (a === null && b === null) return true;
  return toNumber(a) === toNumber(b);
}

/** A value as `${{ }}` splices it into text: null is empty, objects are JSON. */
export function toText(value: Value): string {
  if (value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value, null, 2);
  return String(value);
}

/** The value of one expression (the text between `${{` and `}}`, or an `if:` without them). */
export function evaluate(expression: string, ctx: ExpressionContext): Value {
  return new Parser(tokenize(expression), expression, ctx).parse();
}

const TEMPLATE = /\$\{\{([\s\S]*?)\}\}/g;

/**
 * A workflow value: text with `${{ }}` spliced in; a value that is exactly one expression keeps its type (so a
 * `strategy.matrix` of `fromJSON(...)` is an object).
 */
export function interpolate(text: string, ctx: ExpressionContext): Value {
  const whole = /^\s*\$\{\{([\s\S]*?)\}\}\s*$/.exec(text);
  if (whole && !whole[1]?.includes('}}')) return evaluate(whole[1] as string, ctx);
  return text.replace(TEMPLATE, (_m, expression: string) => toText(evaluate(expression, ctx)));
}

/** An `if:` condition: an expression with or without `${{ }}`; without a status function it means `success() && …`. */
export function condition(text: string | boolean | undefined, ctx: ExpressionContext): boolean {
  if (text === undefined) return ctx.status === 'success';
  if (typeof text === 'boolean') return text && ctx.status === 'success';
  const expression = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(text)?.[1] ?? text;
  const usesStatus = /\b(always|success|failure|cancelled)\s*\(/i.test(expression);
  const value = truthy(evaluate(expression, ctx));
  return usesStatus ? value : value && ctx.status === 'success';
}
