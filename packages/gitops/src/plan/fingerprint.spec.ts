import { fingerprintPlan } from './fingerprint';
import { summarizePlan } from './summary';
import { fixturePlan } from './__fixtures__/fixtures';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The same JSON with every object's keys in reverse order. */
function reorderKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reorderKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .reverse()
        .map((k) => [k, reorderKeys((value as Json)[k])]),
    );
  }
  return value;
}

function copy(name: string): Json {
  return structuredClone(fixturePlan(name)) as Json;
}

describe('fingerprintPlan', () => {
  it('is a lowercase hex SHA-256', () => {
    expect(fingerprintPlan(fixturePlan('replace.plan.json'))).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is the same when every key is reordered', () => {
    const plan = fixturePlan('lifecycle.plan.json');
    expect(fingerprintPlan(reorderKeys(plan))).toBe(fingerprintPlan(plan));
  });

  it('is the same when the resource changes come in another order', () => {
    const plan = copy('replace.plan.json');
    const reversed = { ...plan, resource_changes: [...plan.resource_changes].reverse() };
    expect(fingerprintPlan(reversed)).toBe(fingerprintPlan(plan));
  });

  it('ignores run metadata: timestamp, Terraform version, variables, prior state, configuration', () => {
    const plan = copy('replace.plan.json');
    const replanned = {
      ...plan,
      timestamp: '2030-06-01T12:00:00Z',
      terraform_version: '1.12.0',
      variables: { commit: { value: 'deadbeef' } },
      prior_state: { values: { root_module: { resources: [] } } },
      configuration: { root_module: { outputs: {} } },
    };
    expect(fingerprintPlan(replanned)).toBe(fingerprintPlan(plan));
  });

  it('ignores resources with nothing to do, so a refreshed no-op does not change it', () => {
    const plan = copy('lifecycle.plan.json');
    const untouched = plan.resource_changes.find((r: Json) => r.address === 'aws_subnet.untouched');
    untouched.change.before.id = 'subnet-refreshed';
    untouched.change.after.id = 'subnet-refreshed';
    expect(fingerprintPlan(plan)).toBe(fingerprintPlan(fixturePlan('lifecycle.plan.json')));
  });

  it('changes when a planned attribute value changes', () => {
    const plan = copy('lifecycle.plan.json');
    plan.resource_changes.find((r: Json) => r.address === 'aws_subnet.moved').change.after.tags.a = '3';
    expect(fingerprintPlan(plan)).not.toBe(fingerprintPlan(fixturePlan('lifecycle.plan.json')));
  });

  it('changes when an action changes', () => {
    const plan = copy('replace.plan.json');
    plan.resource_changes[0].change.actions = ['create', 'delete'];
    expect(fingerprintPlan(plan)).not.toBe(fingerprintPlan(fixturePlan('replace.plan.json')));
  });

  it('changes when an output change changes', () => {
    const plan = copy('outputs.plan.json');
    plan.output_changes.changed.after = 'v3';
    expect(fingerprintPlan(plan)).not.toBe(fingerprintPlan(fixturePlan('outputs.plan.json')));
  });

  it('masks sensitive values instead of hashing them: a new secret alone gives the same fingerprint', () => {
    const plan = copy('sensitive.plan.json');
    plan.resource_changes[0].change.after.password = 'another-secret';
    expect(fingerprintPlan(plan)).toBe(fingerprintPlan(fixturePlan('sensitive.plan.json')));
  });
});

/** A plan creating one resource whose `after` is given as JSON text (`JSON.parse` keeps a `__proto__` key as data). */
function planWith(afterJson: string, afterSensitiveJson = '{}'): unknown {
  return JSON.parse(`{
    "format_version": "1.2",
    "resource_changes": [{
      "address": "aws_s3_bucket.logs", "mode": "managed", "type": "aws_s3_bucket", "name": "logs",
      "change": { "actions": ["create"], "before": null, "after": ${afterJson},
        "after_unknown": {}, "before_sensitive": false, "after_sensitive": ${afterSensitiveJson} }
    }]
  }`);
}

describe('fingerprintPlan of hostile keys', () => {
  it('differs for plans that differ only in the value of a tag named __proto__', () => {
    expect(fingerprintPlan(planWith('{"tags": {"__proto__": "a"}}'))).not.toBe(
      fingerprintPlan(planWith('{"tags": {"__proto__": "b"}}')),
    );
  });

  it('differs between a plan with a tag named __proto__ and one without it', () => {
    expect(fingerprintPlan(planWith('{"tags": {"__proto__": "a"}}'))).not.toBe(
      fingerprintPlan(planWith('{"tags": {}}')),
    );
  });

  it('differs for a __proto__ tag inside an object that redaction rebuilds (a sibling is sensitive)', () => {
    const mask = '{"tags": {"secret": true}}';
    expect(fingerprintPlan(planWith('{"tags": {"__proto__": {"x": 1}, "secret": "s"}}', mask))).not.toBe(
      fingerprintPlan(planWith('{"tags": {"__proto__": {"x": 2}, "secret": "s"}}', mask)),
    );
  });
});

describe('summarizePlan of hostile keys', () => {
  it('masks a sensitive value under a key named __proto__', () => {
    const plan = planWith('{"tags": {"__proto__": "PLANTED-s3cr3t", "Name": "logs"}}', '{"tags": {"__proto__": true}}');
    const summary = summarizePlan(plan, {
      flagId: 'acme-prod-us-east-1',
      stack: 'acme-prod-us-east-1-flag',
      layer: 'flag',
    });
    expect(JSON.stringify(summary)).not.toContain('PLANTED-s3cr3t');
    expect(summary.resources[0]?.attributes).toContainEqual({ path: 'tags.__proto__', after: '(sensitive)' });
  });
});

describe('fingerprints made before', () => {
  // Taken with the first canonicalJson (a key-sorted copy through JSON.stringify): a change here breaks every
  // recorded plan's apply guard.
  it.each([
    ['drift.plan.json', 'd3e8fac68163b26947ab8557e2d467096683f55d12de3986fab3920094eb1526'],
    ['errored.plan.json', 'bb176c393dd39cc16014913d2e1f46475a19aca81e2ec5d3a89bfa336027c24f'],
    ['escaping.plan.json', 'e6a833c49ef2ca79238a37339f450e9f521ebae61a0e221bbe2579682a09044e'],
    ['future-minor.plan.json', '7264ba4881646887d3d0d1aca4cc23894eaa308f8f5c5fb5ae58ff574ee63453'],
    ['lifecycle.plan.json', 'cd7770c1676b48103bac7299362daa78582c217c2b2bc4b620bd07ce614ccf51'],
    ['outputs.plan.json', 'eb7e0041c17152a860c761027352bd8984e0885220900a6452ae645fd9cd773e'],
    ['replace.plan.json', 'f3313c2d0512cb394dd54dd1eed0c5653996a205c40b53d30e608918ffc40d9b'],
    ['sensitive.plan.json', '2579ffe1ec259b7a3e573b304b2bca7382d052a3e02e93ba65a10cf2cd2b78ea'],
    ['unknown.plan.json', 'c90a85d740737d8915fd96de32a782885ee3530d969a569658aefe20ffdc75e1'],
  ])('keeps the fingerprint of %s', (name, fingerprint) => {
    expect(fingerprintPlan(fixturePlan(name))).toBe(fingerprint);
  });
});
