/**
 * Checks a `summary.json` read back from disk before the renderer trusts it: a hand-edited or truncated file
 * must fail with the field at fault, not crash the renderer halfway through a comment.
 */
import { LAYERS } from '@kitt/flag-config';
import { COUNT_KEYS, PLAN_ACTIONS } from './actions';
import { PlanFormatError } from './errors';
import { checkNetworkDiagramText } from './network-diagram-check';
import { checkNesting } from './nesting';
import { isPlainObject } from '../json/own-properties';
import { STACK_RESULT_KIND, STACK_STATUSES, type StackResult } from './record';

function fail(path: string, received: unknown, expected: string): never {
  throw new PlanFormatError('STACK_RESULT_INVALID', `${path} is not ${expected}`, path, received, expected);
}

function requireString(object: Record<string, unknown>, key: string, path: string, optional = false): void {
  const value = object[key];
  if (value === undefined && optional) return;
  if (typeof value !== 'string') fail(`${path}${key}`, value, 'a string');
}

function requireOneOf(value: unknown, allowed: readonly string[], path: string): void {
  if (typeof value !== 'string' || !allowed.includes(value)) fail(path, value, `one of ${allowed.join(', ')}`);
}

function requireList(value: unknown, path: string, each: (item: Record<string, unknown>, path: string) => void): void {
  if (!Array.isArray(value)) fail(path, value, 'a list');
  value.forEach((item, i) => {
    if (!isPlainObject(item)) fail(`${path}[${i}]`, item, 'an object');
    each(item, `${path}[${i}]`);
  });
}

function checkResource(r: Record<string, unknown>, path: string): void {
  requireString(r, 'address', `${path}.`);
  requireOneOf(r.action, PLAN_ACTIONS, `${path}.action`);
  if (!Array.isArray(r.replacePaths)) fail(`${path}.replacePaths`, r.replacePaths, 'a list of attribute paths');
  requireList(r.attributes, `${path}.attributes`, (a, p) => {
    requireString(a, 'path', `${p}.`);
    checkNesting(a.before, `${p}.before`);
    checkNesting(a.after, `${p}.after`);
  });
}

function checkSummary(s: unknown, path: string): void {
  if (!isPlainObject(s) || s.kind !== 'kitt-plan-summary') fail(path, s, "a plan summary (kind 'kitt-plan-summary')");
  if (!isPlainObject(s.counts)) fail(`${path}.counts`, s.counts, 'an object of counts');
  const counts = s.counts;
  for (const key of COUNT_KEYS)
    if (typeof counts[key] !== 'number') fail(`${path}.counts.${key}`, counts[key], 'a number');
  requireList(s.resources, `${path}.resources`, checkResource);
  requireList(s.drift, `${path}.drift`, checkResource);
  requireList(s.outputs, `${path}.outputs`, (o, p) => {
    requireString(o, 'name', `${p}.`);
    requireOneOf(o.action, PLAN_ACTIONS, `${p}.action`);
    checkNesting(o.before, `${p}.before`);
    checkNesting(o.after, `${p}.after`);
  });
  for (const key of ['errored', 'complete', 'applyable', 'hasChanges']) {
    if (typeof s[key] !== 'boolean') fail(`${path}.${key}`, s[key], 'true or false');
  }
}

/** True for a parsed `summary.json` (as opposed to raw `terraform show -json` output). */
export function isStackResult(json: unknown): boolean {
  return isPlainObject(json) && json.kind === STACK_RESULT_KIND;
}

/** Checks a parsed `summary.json`; throws `PlanFormatError` (`STACK_RESULT_INVALID`) naming the bad field. */
export function parseStackResult(json: unknown): StackResult {
  if (!isPlainObject(json) || json.kind !== STACK_RESULT_KIND)
    fail('kind', isPlainObject(json) ? json.kind : json, `'${STACK_RESULT_KIND}'`);
  if (json.version !== 1) fail('version', json.version, '1');
  for (const key of ['flagId', 'stack']) requireString(json, key, '');
  requireOneOf(json.layer, LAYERS, 'layer');
  requireOneOf(json.status, STACK_STATUSES, 'status');
  for (const key of ['fingerprint', 'configHash', 'waitsFor', 'error', 'headSha', 'baseSha', 'runId'])
    requireString(json, key, '', true);
  if (json.removed !== undefined && typeof json.removed !== 'boolean') fail('removed', json.removed, 'true or false');
  if (json.summary !== undefined) checkSummary(json.summary, 'summary');
  if (json.previewResources !== undefined) {
    const list = json.previewResources;
    if (!Array.isArray(list) || !list.every((a) => typeof a === 'string'))
      fail('previewResources', list, 'a list of resource addresses');
  }
  if (json.networkDiagram !== undefined) {
    const d = json.networkDiagram;
    if (!isPlainObject(d)) fail('networkDiagram', d, 'an object with mermaid and capacityTable');
    requireString(d, 'mermaid', 'networkDiagram.');
    requireString(d, 'capacityTable', 'networkDiagram.');
    // Markdown that goes into the record as it is: only the allocator's own shapes pass.
    checkNetworkDiagramText(d.mermaid as string, d.capacityTable as string);
  }
  return json as unknown as StackResult;
}
