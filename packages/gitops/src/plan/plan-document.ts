/**
 * The parts of `terraform show -json` output that the plan record uses, checked and normalized once. Reads every
 * plan `format_version` from 0.1 to 1.2 (Terraform 0.12 to 1.14) and OpenTofu's; fields this code does not know
 * are ignored, a new MAJOR version is refused (its meaning may have changed under the same names).
 */
import { PlanFormatError } from './errors';
import { checkNesting } from './nesting';

/** Highest plan format major version this code understands. */
export const SUPPORTED_FORMAT_MAJOR = 1;

/** One `change` object: before/after values with their sensitivity and unknown masks. */
export interface RawChange {
  readonly actions: readonly string[];
  readonly before: unknown;
  readonly after: unknown;
  readonly afterUnknown: unknown;
  readonly beforeSensitive: unknown;
  readonly afterSensitive: unknown;
  readonly replacePaths: readonly (readonly (string | number)[])[];
  /** Present when the resource is being imported; `id` is absent for imports by identity. */
  readonly importing?: { readonly id?: string };
}

export interface RawResourceChange {
  readonly address: string;
  readonly previousAddress?: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly providerName?: string;
  /** Key of a deposed object (left over from a create-before-destroy), when the change is for one. */
  readonly deposed?: string;
  readonly actionReason?: string;
  readonly change: RawChange;
}

export interface RawOutputChange {
  readonly name: string;
  readonly change: RawChange;
  /** Declared `sensitive = true` anywhere the plan says so. */
  readonly sensitive: boolean;
}

export interface RelevantAttribute {
  readonly resource: string;
  readonly attribute: readonly (string | number)[];
}

export interface PlanDocument {
  readonly formatVersion: string;
  readonly terraformVersion?: string;
  readonly resourceChanges: readonly RawResourceChange[];
  readonly resourceDrift: readonly RawResourceChange[];
  /** Absent before Terraform 1.2 (format 1.1): then every drift counts. */
  readonly relevantAttributes?: readonly RelevantAttribute[];
  readonly outputChanges: readonly RawOutputChange[];
  readonly errored: boolean;
  /** Absent before Terraform 1.8. */
  readonly complete?: boolean;
  /** Absent before Terraform 1.8. */
  readonly applyable?: boolean;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(path: string, received: unknown, expected: string): PlanFormatError {
  return new PlanFormatError('PLAN_FIELD_INVALID', `${path} is not ${expected}`, path, received, expected);
}

function optionalString(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(path, value, 'a string');
  return value;
}

function checkFormatVersion(plan: Json): string {
  const version = plan.format_version;
  if (version === undefined) {
    throw new PlanFormatError(
      'PLAN_FORMAT_VERSION_MISSING',
      'no format_version: this is not `terraform show -json` output of a saved plan',
      'format_version',
      undefined,
      'a plan JSON document with format_version "0.1" to "1.x"',
    );
  }
  // Only the shape Terraform writes: the version is shown in the comment, and nothing else may ride along.
  const major = typeof version === 'string' ? /^(\d{1,4})\.\d{1,4}$/.exec(version)?.[1] : undefined;
  if (major === undefined) throw invalid('format_version', version, 'a version like "1.2" (digits, a dot, digits)');
  if (Number(major) > SUPPORTED_FORMAT_MAJOR) {
    throw new PlanFormatError(
      'PLAN_FORMAT_VERSION_UNSUPPORTED',
      `plan format_version ${version} is a major version this kitt does not know (it reads 0.x and 1.x); ` +
        'its fields may mean something else, so it is not guessed at: update kitt',
      'format_version',
      version,
      `a format_version with major version 0 to ${SUPPORTED_FORMAT_MAJOR}`,
    );
  }
  return version as string;
}

function readPaths(value: unknown, path: string): (string | number)[][] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(path, value, 'a list of attribute paths');
  return value.map((p, i) => {
    if (!Array.isArray(p)) throw invalid(`${path}[${i}]`, p, 'an attribute path (a list of keys and indexes)');
    return p.filter((step): step is string | number => typeof step === 'string' || typeof step === 'number');
  });
}

function readChange(value: unknown, path: string): RawChange {
  if (!isObject(value)) throw invalid(path, value, 'a change object');
  const actions = value.actions;
  if (!Array.isArray(actions) || !actions.every((a) => typeof a === 'string')) {
    throw invalid(`${path}.actions`, actions, 'a list of action names');
  }
  const importing = value.importing;
  for (const key of ['before', 'after', 'after_unknown', 'before_sensitive', 'after_sensitive'])
    checkNesting(value[key], `${path}.${key}`);
  return {
    actions,
    before: value.before ?? null,
    after: value.after ?? null,
    afterUnknown: value.after_unknown,
    beforeSensitive: value.before_sensitive,
    afterSensitive: value.after_sensitive,
    replacePaths: readPaths(value.replace_paths, `${path}.replace_paths`),
    ...(isObject(importing) ? { importing: typeof importing.id === 'string' ? { id: importing.id } : {} } : {}),
  };
}

/** Terraform 1.0.0 left `address` out of drift entries; rebuild it from its parts. */
function addressOf(entry: Json): string | undefined {
  if (typeof entry.address === 'string') return entry.address;
  if (typeof entry.type !== 'string' || typeof entry.name !== 'string') return undefined;
  const module = typeof entry.module_address === 'string' ? `${entry.module_address}.` : '';
  const data = entry.mode === 'data' ? 'data.' : '';
  const index =
    typeof entry.index === 'number'
      ? `[${entry.index}]`
      : typeof entry.index === 'string'
        ? `[${JSON.stringify(entry.index)}]`
        : '';
  return `${module}${data}${entry.type}.${entry.name}${index}`;
}

function readResourceChange(value: unknown, path: string): RawResourceChange {
  if (!isObject(value)) throw invalid(path, value, 'a resource change object');
  const address = addressOf(value);
  if (address === undefined) throw invalid(`${path}.address`, value.address, 'a resource address');
  const previousAddress = optionalString(value.previous_address, `${path}.previous_address`);
  const providerName = optionalString(value.provider_name, `${path}.provider_name`);
  const deposed = optionalString(value.deposed, `${path}.deposed`);
  const actionReason = optionalString(value.action_reason, `${path}.action_reason`);
  return {
    address,
    ...(previousAddress !== undefined ? { previousAddress } : {}),
    mode: value.mode === 'data' ? 'data' : 'managed',
    type: typeof value.type === 'string' ? value.type : '',
    name: typeof value.name === 'string' ? value.name : '',
    ...(providerName !== undefined ? { providerName } : {}),
    ...(deposed !== undefined ? { deposed } : {}),
    ...(actionReason !== undefined ? { actionReason } : {}),
    change: readChange(value.change, `${path}.change`),
  };
}

function readList<T>(plan: Json, key: string, read: (v: unknown, path: string) => T): T[] {
  const value = plan[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(key, value, 'a list');
  return value.map((entry, i) => read(entry, `${key}[${i}]`));
}

function readRelevantAttributes(plan: Json): RelevantAttribute[] | undefined {
  if (plan.relevant_attributes === undefined || plan.relevant_attributes === null) return undefined;
  return readList(plan, 'relevant_attributes', (v, path) => {
    if (!isObject(v) || typeof v.resource !== 'string') throw invalid(path, v, 'a {resource, attribute} object');
    return { resource: v.resource, attribute: readPaths([v.attribute ?? []], `${path}.attribute`)[0] ?? [] };
  });
}

function outputDeclaredSensitive(plan: Json, name: string): boolean {
  const places = [
    (plan.planned_values as Json | undefined)?.outputs,
    ((plan.prior_state as Json | undefined)?.values as Json | undefined)?.outputs,
    ((plan.configuration as Json | undefined)?.root_module as Json | undefined)?.outputs,
  ];
  return places.some((outputs) => isObject(outputs) && isObject(outputs[name]) && outputs[name].sensitive === true);
}

function readOutputChanges(plan: Json): RawOutputChange[] {
  const value = plan.output_changes;
  if (value === undefined || value === null) return [];
  if (!isObject(value)) throw invalid('output_changes', value, 'an object of output changes by name');
  return Object.keys(value).map((name) => {
    const entry = value[name];
    const change = readChange(entry, `output_changes.${name}`);
    const sensitive =
      (entry as Json).sensitive === true ||
      change.beforeSensitive === true ||
      change.afterSensitive === true ||
      outputDeclaredSensitive(plan, name);
    return { name, change, sensitive };
  });
}

function optionalBoolean(plan: Json, key: string): boolean | undefined {
  const value = plan[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalid(key, value, 'true or false');
  return value;
}

/** Checks a parsed plan and keeps what the record needs. Throws `PlanFormatError` for anything else. */
export function readPlanDocument(planJson: unknown): PlanDocument {
  if (!isObject(planJson)) {
    throw new PlanFormatError(
      'PLAN_NOT_OBJECT',
      'a plan is a JSON object',
      '',
      Array.isArray(planJson) ? 'a list' : planJson,
      'a JSON object',
    );
  }
  const formatVersion = checkFormatVersion(planJson);
  const terraformVersion = optionalString(planJson.terraform_version, 'terraform_version');
  const relevantAttributes = readRelevantAttributes(planJson);
  const complete = optionalBoolean(planJson, 'complete');
  const applyable = optionalBoolean(planJson, 'applyable');
  return {
    formatVersion,
    ...(terraformVersion !== undefined ? { terraformVersion } : {}),
    resourceChanges: readList(planJson, 'resource_changes', readResourceChange),
    resourceDrift: readList(planJson, 'resource_drift', readResourceChange),
    ...(relevantAttributes !== undefined ? { relevantAttributes } : {}),
    outputChanges: readOutputChanges(planJson),
    errored: optionalBoolean(planJson, 'errored') ?? false,
    ...(complete !== undefined ? { complete } : {}),
    ...(applyable !== undefined ? { applyable } : {}),
  };
}
