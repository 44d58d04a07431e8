import { canonicalJson, fingerprintPlan } from './fingerprint';
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

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps list order', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[{"c":2,"d":1}]}');
  });
});
