import { planTotals } from './actions';
import { PlanFormatError } from './errors';
import { KNOWN_AFTER_APPLY, SENSITIVE } from './redact';
import { summarizePlan, type PlanSummary, type ResourceChangeSummary } from './summary';
import { fixturePlan, sensitiveStrings } from './__fixtures__/fixtures';

const meta = { flagId: 'acme-prod-us-east-1', stack: 'acme-prod-us-east-1-flag', layer: 'flag' } as const;

function summary(name: string): PlanSummary {
  return summarizePlan(fixturePlan(name), meta);
}

function resource(s: PlanSummary, address: string, deposed?: string): ResourceChangeSummary {
  const found = s.resources.find((r) => r.address === address && r.deposed === deposed);
  if (!found) throw new Error(`no ${address} in summary`);
  return found;
}

function attribute(r: ResourceChangeSummary, path: string) {
  return r.attributes.find((a) => a.path === path);
}

function expectPlanError(plan: unknown, code: string, path?: string): PlanFormatError {
  let caught: unknown;
  try {
    summarizePlan(plan, meta);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(PlanFormatError);
  const error = caught as PlanFormatError;
  expect(error.code).toBe(code);
  if (path !== undefined) expect(error.path).toBe(path);
  return error;
}

describe('summarizePlan', () => {
  describe('actions', () => {
    it('counts replaces in both orders separately', () => {
      const { counts } = summary('replace.plan.json');
      expect(counts.replaceDeleteBeforeCreate).toBe(2);
      expect(counts.replaceCreateBeforeDelete).toBe(1);
      expect(counts.delete).toBe(2);
    });

    it('adds a replace to both "add" and "destroy", as Terraform does', () => {
      expect(planTotals(summary('replace.plan.json').counts)).toEqual({ add: 3, change: 0, destroy: 5, replace: 3 });
    });

    it('names the attributes that force a replacement', () => {
      const s = summary('replace.plan.json');
      expect(resource(s, 'terraform_data.dbc')).toMatchObject({
        action: 'replace-delete-before-create',
        replacePaths: ['triggers_replace'],
      });
      expect(resource(s, 'terraform_data.cbd')).toMatchObject({
        action: 'replace-create-before-delete',
        replacePaths: ['triggers_replace.k'],
      });
    });

    it('keeps the action reason, e.g. a tainted object', () => {
      expect(resource(summary('replace.plan.json'), 'terraform_data.tainted').actionReason).toBe(
        'replace_because_tainted',
      );
    });

    it('keeps a deposed object apart from the current object at the same address', () => {
      const s = summary('replace.plan.json');
      expect(resource(s, 'terraform_data.cbd', '00000001').action).toBe('delete');
      expect(resource(s, 'terraform_data.cbd').action).toBe('replace-create-before-delete');
    });

    it('counts forget, and create-then-forget as one create and one forget', () => {
      const s = summary('lifecycle.plan.json');
      expect(s.counts).toMatchObject({ forget: 2, create: 1 });
      expect(resource(s, 'terraform_data.forgotten')).toMatchObject({ action: 'forget', attributes: [] });
      expect(resource(s, 'terraform_data.swapped').action).toBe('create-then-forget');
    });

    it('counts imports on top of their action and keeps the import id', () => {
      const s = summary('lifecycle.plan.json');
      expect(s.counts.import).toBe(2);
      expect(resource(s, 'aws_s3_bucket.logs')).toMatchObject({ action: 'no-op', importing: { id: 'acme-logs' } });
      expect(resource(s, 'aws_s3_bucket.data')).toMatchObject({ action: 'update', importing: { id: 'acme-data' } });
    });

    it('counts moves and keeps where each resource moved from', () => {
      const s = summary('lifecycle.plan.json');
      expect(s.counts.move).toBe(2);
      expect(resource(s, 'aws_vpc.renamed')).toMatchObject({ action: 'no-op', previousAddress: 'aws_vpc.old_name' });
      expect(resource(s, 'aws_subnet.moved')).toMatchObject({ action: 'update', previousAddress: 'aws_subnet.before' });
    });

    it('counts a plain no-op but does not list it', () => {
      const s = summary('lifecycle.plan.json');
      expect(s.counts.noOp).toBe(3); // the import, the move and the untouched subnet
      expect(s.resources.map((r) => r.address)).not.toContain('aws_subnet.untouched');
    });

    it('refuses an action combination it does not know, naming where it is', () => {
      const plan = {
        format_version: '1.2',
        resource_changes: [{ address: 'a.b', type: 'a', name: 'b', change: { actions: ['delete', 'update'] } }],
      };
      expectPlanError(plan, 'PLAN_UNKNOWN_ACTION', 'resource_changes[0].change.actions');
    });
  });

  describe('attributes', () => {
    it('lists the changed leaves of an update with before and after', () => {
      const r = resource(summary('lifecycle.plan.json'), 'aws_subnet.moved');
      expect(r.attributes).toEqual([{ path: 'tags.a', before: '1', after: '2' }]);
    });

    it('writes map keys that are not identifiers the way Terraform does', () => {
      const plan = {
        format_version: '1.2',
        resource_changes: [
          {
            address: 'a.b',
            type: 'a',
            name: 'b',
            change: {
              actions: ['update'],
              before: { tags: { 'Name tag': 'x' } },
              after: { tags: { 'Name tag': 'y' } },
            },
          },
        ],
      };
      expect(summarizePlan(plan, meta).resources[0]?.attributes).toEqual([
        { path: 'tags["Name tag"]', before: 'x', after: 'y' },
      ]);
    });

    it('shows unknown values as known after apply, including attributes missing from after', () => {
      const s = summary('unknown.plan.json');
      const vpc = resource(s, 'aws_vpc.main');
      expect(attribute(vpc, 'id')).toEqual({ path: 'id', after: KNOWN_AFTER_APPLY });
      expect(attribute(vpc, 'cidr_block')).toEqual({ path: 'cidr_block', after: '10.0.0.0/16' });
      expect(attribute(vpc, 'ipv6_cidr_block')).toBeUndefined();
    });

    it('shows an unknown list element, a block and an attribute becoming unknown', () => {
      const subnet = resource(summary('unknown.plan.json'), 'aws_subnet.a');
      expect(attribute(subnet, 'cidrs[1]')).toEqual({
        path: 'cidrs[1]',
        before: '10.0.1.0/24',
        after: KNOWN_AFTER_APPLY,
      });
      expect(attribute(subnet, 'block')).toEqual({ path: 'block', before: { x: 1 }, after: KNOWN_AFTER_APPLY });
      expect(attribute(subnet, 'vpc_id')).toEqual({ path: 'vpc_id', before: 'vpc-old', after: KNOWN_AFTER_APPLY });
      expect(attribute(subnet, 'cidrs[0]')).toBeUndefined();
    });
  });

  describe('sensitive values', () => {
    const plan = fixturePlan('sensitive.plan.json');
    const secrets = sensitiveStrings(plan);

    it('keeps no sensitive value anywhere in the summary', () => {
      const planted = new Set(JSON.stringify(plan).match(/S3CRET-[\w-]+/g));
      expect(new Set(secrets)).toEqual(planted);
      const json = JSON.stringify(summarizePlan(plan, meta));
      for (const secret of secrets) expect(json).not.toContain(secret);
    });

    it('shows a changed sensitive attribute as sensitive on both sides', () => {
      const db = resource(summarizePlan(plan, meta), 'aws_db_instance.main');
      expect(db.attributes).toEqual([{ path: 'password', before: SENSITIVE, after: SENSITIVE }]);
    });

    it('stops at a sensitive map, so its keys stay hidden too', () => {
      const secret = resource(summarizePlan(plan, meta), 'kubernetes_secret.creds');
      expect(attribute(secret, 'data')).toEqual({ path: 'data', after: SENSITIVE });
    });

    it('hides a sensitive value nested in lists and objects, and only it', () => {
      const app = resource(summarizePlan(plan, meta), 'kubernetes_deployment.app');
      expect(app.attributes).toEqual([
        { path: 'container[0].env[1].value', before: SENSITIVE, after: SENSITIVE },
        { path: 'container[0].image', before: 'app:1', after: 'app:2' },
      ]);
    });

    it('hides the old value of an attribute that becomes sensitive', () => {
      const r = resource(summarizePlan(plan, meta), 'terraform_data.becomes_sensitive');
      expect(r.attributes).toEqual([{ path: 'input', before: SENSITIVE, after: SENSITIVE }]);
    });

    it('hides a sensitive output, declared in the output change or only in planned_values', () => {
      const outputs = summary('outputs.plan.json').outputs;
      expect(outputs.find((o) => o.name === 'secret')).toEqual({
        name: 'secret',
        action: 'update',
        sensitive: true,
        before: SENSITIVE,
        after: SENSITIVE,
      });
      expect(outputs.find((o) => o.name === 'declared_secret')).toEqual({
        name: 'declared_secret',
        action: 'create',
        sensitive: true,
        after: SENSITIVE,
      });
    });
  });

  describe('outputs', () => {
    it('lists every output change except no-ops', () => {
      const names = summary('outputs.plan.json').outputs.map((o) => o.name);
      expect(names.sort()).toEqual(['added', 'changed', 'complex', 'declared_secret', 'pending', 'removed', 'secret']);
    });

    it('shows a removed output by its old value and a pending one as known after apply', () => {
      const outputs = summary('outputs.plan.json').outputs;
      expect(outputs.find((o) => o.name === 'removed')).toEqual({
        name: 'removed',
        action: 'delete',
        sensitive: false,
        before: 'old-value',
      });
      expect(outputs.find((o) => o.name === 'pending')).toEqual({
        name: 'pending',
        action: 'create',
        sensitive: false,
        after: KNOWN_AFTER_APPLY,
      });
    });

    it('counts an output-only plan as having changes', () => {
      const s = summary('outputs.plan.json');
      expect(s.resources).toHaveLength(0);
      expect(s.hasChanges).toBe(true);
    });
  });

  describe('drift', () => {
    it('keeps drift of relevant attributes and drift that deleted an object, not other drift', () => {
      const drift = summary('drift.plan.json').drift.map((d) => d.address);
      expect(drift).toEqual(['aws_security_group.web', 'aws_db_instance.db', 'aws_eip.gone']);
    });

    it('redacts sensitive values in drift', () => {
      const db = summary('drift.plan.json').drift.find((d) => d.address === 'aws_db_instance.db');
      expect(db?.attributes).toEqual([{ path: 'password', before: SENSITIVE, after: SENSITIVE }]);
    });

    it('keeps every drift for plans older than relevant_attributes (format before 1.1)', () => {
      const plan = {
        ...(fixturePlan('drift.plan.json') as object),
        format_version: '1.0',
        relevant_attributes: undefined,
      };
      expect(summarizePlan(plan, meta).drift).toHaveLength(4);
    });

    it('rebuilds a drift address that Terraform 1.0.0 left out', () => {
      const plan = {
        format_version: '0.1',
        resource_drift: [
          {
            module_address: 'module.m',
            mode: 'managed',
            type: 'aws_eip',
            name: 'ip',
            index: 'k',
            change: { actions: ['delete'], before: { id: 'e' }, after: null },
          },
        ],
      };
      expect(summarizePlan(plan, meta).drift[0]?.address).toBe('module.m.aws_eip.ip["k"]');
    });
  });

  describe('plan state', () => {
    it('reports an errored plan as errored, incomplete and not applyable', () => {
      expect(summary('errored.plan.json')).toMatchObject({ errored: true, complete: false, applyable: false });
    });

    it('derives complete and applyable for Terraform versions that do not write them', () => {
      const s = summary('unknown.plan.json');
      expect(s).toMatchObject({ errored: false, complete: true, applyable: true, hasChanges: true });
    });

    it('records the plan format and Terraform version', () => {
      expect(summary('replace.plan.json')).toMatchObject({
        kind: 'kitt-plan-summary',
        version: 1,
        formatVersion: '1.2',
        terraformVersion: '1.11.4',
        ...meta,
      });
    });

    it('is plain JSON: it survives a round trip unchanged', () => {
      const s = summary('lifecycle.plan.json');
      expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    });
  });

  describe('format versions', () => {
    it('refuses an unknown major format version with a clear message', () => {
      const error = expectPlanError(
        fixturePlan('future-major.plan.json'),
        'PLAN_FORMAT_VERSION_UNSUPPORTED',
        'format_version',
      );
      expect(error.message).toContain('2.0');
      expect(error.received).toBe('2.0');
    });

    it('reads a newer minor format version and ignores fields it does not know', () => {
      expect(summary('future-minor.plan.json').counts.create).toBe(1);
    });

    it('refuses a document without format_version', () => {
      expectPlanError({ values: {} }, 'PLAN_FORMAT_VERSION_MISSING');
    });

    it('refuses a document that is not an object', () => {
      expectPlanError([1, 2], 'PLAN_NOT_OBJECT');
    });

    it('names the field at fault in a malformed plan', () => {
      expectPlanError(
        { format_version: '1.2', resource_changes: [{ address: 'a.b', change: { actions: 'create' } }] },
        'PLAN_FIELD_INVALID',
        'resource_changes[0].change.actions',
      );
    });
  });
});
