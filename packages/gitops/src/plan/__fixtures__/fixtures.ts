/** Test helpers: the plans written for these tests, and the real plans in `../shared` (never copied here). */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parsePlanText } from '../plan-text';

/** Parsed plan JSON of a fixture in this directory. */
export function fixturePlan(name: string): unknown {
  return parsePlanText(readFileSync(resolve(__dirname, name)));
}

export function fixtureBytes(name: string): Buffer {
  return readFileSync(resolve(__dirname, name));
}

/** `/work/shared/fixtures/terraform-plans` seen from the repository root (`../shared`). */
export const REAL_PLANS_DIR = resolve(__dirname, '../../../../..', '../shared/fixtures/terraform-plans');

export interface RealPlan {
  readonly name: string;
  readonly json: unknown;
  /** Terraform's own rendering of the same plan, where the source had one. */
  readonly expected?: string;
}

/** Every real plan, or undefined (with a console message) where `../shared` is absent. */
export function realPlans(): RealPlan[] | undefined {
  if (!existsSync(REAL_PLANS_DIR)) {
    console.log(`skipping real-plan tests: ${REAL_PLANS_DIR} is absent`);
    return undefined;
  }
  return readdirSync(REAL_PLANS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const name = file.replace(/\.json$/, '');
      const expectedFile = resolve(REAL_PLANS_DIR, `${name}.expected.txt`);
      return {
        name,
        json: parsePlanText(readFileSync(resolve(REAL_PLANS_DIR, file))),
        ...(existsSync(expectedFile) ? { expected: readFileSync(expectedFile, 'utf8') } : {}),
      };
    });
}

function either(a: unknown, b: unknown): unknown {
  if (a === true || b === true) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    const [x, y] = [Array.isArray(a) ? a : [], Array.isArray(b) ? b : []];
    return Array.from({ length: Math.max(x.length, y.length) }, (_, i) => either(x[i], y[i]));
  }
  const [x, y] = [(a && typeof a === 'object' ? a : {}) as Record<string, unknown>, (b && typeof b === 'object' ? b : {}) as Record<string, unknown>];
  return Object.fromEntries([...new Set([...Object.keys(x), ...Object.keys(y)])].map((k) => [k, either(x[k], y[k])]));
}

/**
 * Every string the plan marks sensitive (in resource changes, drift and outputs) and nowhere shows in the open,
 * to prove none reaches a comment. Short strings are left out: "a" or "true" appear in any comment anyway.
 */
export function sensitiveStrings(plan: unknown, minLength = 6): string[] {
  const found = new Set<string>();
  const open = new Set<string>();
  const collect = (value: unknown, mask: unknown, hidden: boolean): void => {
    const isHidden = hidden || mask === true;
    const into = isHidden ? found : open;
    if (typeof value === 'string') {
      into.add(value);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => collect(v, Array.isArray(mask) ? mask[i] : undefined, isHidden));
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        into.add(k);
        collect(v, mask && typeof mask === 'object' ? (mask as Record<string, unknown>)[k] : undefined, isHidden);
      }
    }
  };
  const p = plan as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  for (const rc of [...(p.resource_changes ?? []), ...(p.resource_drift ?? [])]) {
    const c = rc.change;
    // Sensitive on either side hides both sides (a value becoming sensitive is a secret too).
    const mask = either(c.before_sensitive, c.after_sensitive);
    collect(c.before, mask, false);
    collect(c.after, mask, false);
  }
  const declared = p.planned_values?.outputs ?? {};
  for (const [name, o] of Object.entries<any>(p.output_changes ?? {})) { // eslint-disable-line @typescript-eslint/no-explicit-any
    const hidden = o.sensitive === true || o.before_sensitive === true || o.after_sensitive === true || declared[name]?.sensitive === true;
    collect(o.before, o.before_sensitive, hidden);
    collect(o.after, o.after_sensitive, hidden);
  }
  // A value also shown in the open elsewhere (another resource's name, say) may rightly appear.
  return [...found].filter((s) => s.length >= minLength && ![...open].some((o) => o.includes(s)));
}
