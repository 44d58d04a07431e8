import { z } from 'zod';
import { IssueCode, formatValue, quoteCapped } from './errors';
import { formatPath, type PathSegment } from './paths';
import { closest, closestRegion } from './regions';
import { fieldRules, type FieldRule } from './schema';
import type { InputIssue } from './types';

/** An issue before the file and line are known. */
export type LocalIssue = Omit<InputIssue, 'file' | 'line'>;

/**
 * Validates `value` against `schema` and turns zod's issues into ours: stable
 * codes, the value received and what would be right (from the field's rule or
 * description), one issue per unknown key.
 */
export function structuralIssues(schema: z.ZodType, value: unknown): LocalIssue[] {
  const result = schema.safeParse(value, { reportInput: true });
  return result.success ? [] : result.error.issues.flatMap((issue) => toLocalIssues(schema, issue));
}

function toLocalIssues(root: z.ZodType, issue: z.core.$ZodIssue): LocalIssue[] {
  const path = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
  const node = schemaAt(root, path);
  const rule = node && ruleOf(node);
  const received = (issue as { input?: unknown }).input;
  // YAML has no undefined (an empty value is null): undefined input means the key is not there.
  if (received === undefined && issue.code !== 'unrecognized_keys' && issue.code !== 'invalid_key') {
    return [
      {
        code: IssueCode.MISSING_FIELD,
        path: formatPath(path),
        message: 'required field is missing',
        expected: rule?.expected ?? oneOf(node) ?? describe(node) ?? 'a value',
      },
    ];
  }
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => unknownKey(unwrapped(node), [...path, key], key));
    case 'invalid_key': {
      const record = unwrapped(schemaAt(root, path.slice(0, -1)));
      const keyRule = record instanceof z.ZodRecord ? ruleOf(record.keyType as z.ZodType) : undefined;
      return [valueIssue(keyRule, path, path[path.length - 1], 'key')];
    }
    case 'invalid_type':
      return [typeIssue(path, received, article(issue.expected), rule ?? fallbackRule(node, article(issue.expected)))];
    case 'invalid_union':
      return [
        typeIssue(path, received, 'one of the allowed forms', rule ?? fallbackRule(node, 'one of the allowed forms')),
      ];
    case 'invalid_value':
      return [
        valueIssue(
          rule ?? { code: IssueCode.INVALID_VALUE, expected: oneOf(node) ?? `one of ${issue.values.join(', ')}` },
          path,
          received,
          'value',
        ),
      ];
    default:
      return [
        valueIssue(
          rule ?? { code: IssueCode.INVALID_VALUE, expected: describe(node) ?? lowerFirst(issue.message) },
          path,
          received,
          'value',
          issue.message,
        ),
      ];
  }
}

function unknownKey(parent: z.ZodType | undefined, path: PathSegment[], key: string): LocalIssue {
  const shape = parent instanceof z.ZodObject ? Object.keys(parent.shape) : [];
  if (parent instanceof z.ZodRecord) return valueIssue(ruleOf(parent.keyType as z.ZodType), path, key, 'key');
  const guess = closest(key, shape);
  return {
    code: IssueCode.UNKNOWN_KEY,
    path: formatPath(path),
    message: `unknown key ${quoteCapped(key)}${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ''}`,
    received: key,
    expected: shape.length > 0 ? `one of ${shape.join(', ')}` : 'no keys here',
  };
}

function typeIssue(path: PathSegment[], received: unknown, expectedType: string, rule: FieldRule): LocalIssue {
  const quoteHint =
    expectedType === 'a string' && typeof received === 'number'
      ? ': YAML reads unquoted digits as a number, so put the value in quotes'
      : '';
  const what = path.length === 0 ? 'the document' : 'value';
  return {
    code: IssueCode.INVALID_TYPE,
    path: formatPath(path),
    message: `${what} is ${kindOf(received)}, expected ${expectedType}${quoteHint}`,
    received,
    expected: rule.expected,
  };
}

function valueIssue(
  rule: FieldRule | undefined,
  path: PathSegment[],
  received: unknown,
  what: 'key' | 'value',
  zodMessage?: string,
): LocalIssue {
  // A key's rule comes from its record's key schema; without one (not expected) it is a plain invalid value.
  const code = rule?.code ?? IssueCode.INVALID_VALUE;
  // A slot of the wrong type is a type error, not a place outside the grid.
  if (code === IssueCode.CELL_SLOT_INVALID && typeof received !== 'number') {
    return {
      code: IssueCode.INVALID_TYPE,
      path: formatPath(path),
      message: `slot is ${kindOf(received)}, expected a number 1 or 2${typeof received === 'string' ? ' (without quotes)' : ''}`,
      received,
      expected: 'a number 1 or 2',
    };
  }
  const message = `${what === 'key' ? 'key: ' : ''}${messageOf(code, received, what, zodMessage)}`;
  return {
    code,
    path: formatPath(path),
    message,
    received,
    ...(rule ? { expected: rule.expected } : {}),
  };
}

/** Only the message of this issue's code is built: a region guess costs an edit distance per region. */
function messageOf(code: IssueCode, received: unknown, what: 'key' | 'value', zodMessage?: string): string {
  const shown = formatValue(received);
  switch (code) {
    case IssueCode.NAME_INVALID:
      return `name ${shown} is not valid`;
    case IssueCode.REGION_UNKNOWN:
      return regionMessage(received);
    case IssueCode.ACCOUNT_ID_INVALID:
      return `account id ${shown} is not 12 digits`;
    case IssueCode.ROLE_ARN_INVALID:
      return `${shown} is not an IAM role ARN`;
    case IssueCode.CELL_SLOT_INVALID:
      return `slot ${shown} is outside the grid: every zone of a /16 has slots 1 and 2`;
    default:
      return `${what} ${shown} is not allowed${zodMessage ? ` (${lowerFirst(zodMessage)})` : ''}`;
  }
}

function regionMessage(received: unknown): string {
  const guess = typeof received === 'string' ? closestRegion(received) : undefined;
  const shown = formatValue(received);
  return `${shown} is not an AWS region${guess ? ` (did you mean ${guess}?)` : ''}`;
}

function fallbackRule(node: z.ZodType | undefined, expectedType: string): FieldRule {
  return { code: IssueCode.INVALID_TYPE, expected: describe(node) ?? expectedType };
}

/** zod's type names as people say them. */
function article(type: string): string {
  const names: Record<string, string> = {
    object: 'a mapping',
    array: 'a list',
    string: 'a string',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
  };
  return names[type] ?? type;
}

/** `one of a, b` for an enumeration or literal field. */
function oneOf(node: z.ZodType | undefined): string | undefined {
  for (const layer of layers(node)) {
    if (layer instanceof z.ZodEnum) return `one of ${layer.options.join(', ')}`;
    if (layer instanceof z.ZodLiteral) return `one of ${[...layer.values].join(', ')}`;
  }
  return undefined;
}

function kindOf(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** The first sentence of a field's description: what would be right, in the schema's own words. */
function describe(node: z.ZodType | undefined): string | undefined {
  for (const layer of layers(node)) {
    const description = layer.description;
    if (description) return description.split(/(?<=\.)\s/)[0];
  }
  return undefined;
}

function ruleOf(node: z.ZodType): FieldRule | undefined {
  for (const layer of layers(node)) {
    const rule = fieldRules.get(layer);
    if (rule) return rule;
  }
  return undefined;
}

/** The innermost schema under optional, default and pipe wrappers. */
function unwrapped(node: z.ZodType | undefined): z.ZodType | undefined {
  return layers(node).pop();
}

/** A node and what it wraps (optional, default, pipe/transform), outermost first. */
function layers(node: z.ZodType | undefined): z.ZodType[] {
  const found: z.ZodType[] = [];
  let current = node;
  while (current) {
    found.push(current);
    if (current instanceof z.ZodOptional || current instanceof z.ZodDefault) current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodPipe) current = current.in as z.ZodType;
    else current = undefined;
  }
  return found;
}

/** The schema node that validates the value at `path` (through wrappers, arrays, records and unions). */
export function schemaAt(root: z.ZodType, path: readonly PathSegment[]): z.ZodType | undefined {
  let node: z.ZodType | undefined = root;
  for (const segment of path) {
    node = childOf(node, segment);
    if (!node) return undefined;
  }
  return node;
}

function childOf(node: z.ZodType | undefined, segment: PathSegment): z.ZodType | undefined {
  for (const layer of layers(node)) {
    if (layer instanceof z.ZodObject && typeof segment === 'string')
      return layer.shape[segment] as z.ZodType | undefined;
    if (layer instanceof z.ZodArray && typeof segment === 'number') return layer.element as z.ZodType;
    if (layer instanceof z.ZodRecord) return layer.valueType as z.ZodType;
    if (layer instanceof z.ZodUnion) {
      for (const option of layer.options as readonly z.ZodType[]) {
        const child = childOf(option, segment);
        if (child) return child;
      }
    }
  }
  return undefined;
}
