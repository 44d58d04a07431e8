/**
 * Text from a plan that reaches the comment outside `<pre>`: no `@mention` may notify anyone, no bidi control
 * may reorder what a reviewer reads. Each field a plan controls is tried on its own.
 */
import { PlanFormatError } from '../plan/errors';
import { escapeHtml, escapeInline } from './markdown';
import { stackResultFromPlan, type PlanRecord } from '../plan/record';
import { renderPlanComment } from './render';

const FLAG = 'acme-prod-us-east-1';
const meta = { flagId: FLAG, stack: `${FLAG}-flag`, layer: 'flag' } as const;
const RLO = '\u202e';

type Json = Record<string, unknown>;

function resource(address: string, actions: string[], extra: Json = {}, change: Json = {}): Json {
  const [type, name] = address.split('.');
  return {
    address,
    mode: 'managed',
    type,
    name,
    ...extra,
    change: { actions, before: { id: 'x' }, after: actions.includes('delete') ? null : { id: 'x' }, ...change },
  };
}

function render(plan: Json): string {
  const result = stackResultFromPlan({ format_version: '1.2', ...plan }, meta);
  const record: PlanRecord = { headSha: '0123456789abcdef0123456789abcdef01234567', stacks: [result] };
  return renderPlanComment(record);
}

/** The comment outside `<pre>` blocks, where GitHub links mentions. */
const outsidePre = (markdown: string): string => markdown.replace(/<pre>[\s\S]*?<\/pre>/g, '');

/** A live mention: `@` right before a name (GitHub's rule), not broken by the zero-width space. */
const LIVE_MENTION = /(?:^|[^A-Za-z0-9])@[A-Za-z0-9]/;

describe('plan text in the comment mentions no one', () => {
  it.each<[string, Json]>([
    [
      'action_reason',
      { resource_changes: [resource('aws_s3_bucket.a', ['delete'], { action_reason: '@octocat please' })] },
    ],
    [
      'an import id',
      { resource_changes: [resource('aws_s3_bucket.a', ['no-op'], {}, { importing: { id: '@octocat' } })] },
    ],
    [
      'a moved-from address',
      { resource_changes: [resource('aws_s3_bucket.a', ['no-op'], { previous_address: 'aws_s3_bucket.@octocat' })] },
    ],
    ['a deposed key', { resource_changes: [resource('aws_s3_bucket.a', ['delete'], { deposed: '@octocat' })] }],
    [
      'terraform_version',
      { terraform_version: '1.11.4 @octocat', resource_changes: [resource('aws_s3_bucket.a', ['delete'])] },
    ],
  ])('in %s', (_field, plan) => {
    const md = render(plan);
    expect(md).toContain('octocat');
    expect(outsidePre(md)).not.toMatch(LIVE_MENTION);
  });

  it('in the never-cut warning block too (action_reason of a delete)', () => {
    const md = render({ resource_changes: [resource('aws_s3_bucket.a', ['delete'], { action_reason: '@octocat' })] });
    const caution = md.slice(md.indexOf('> [!CAUTION]'), md.indexOf('<!-- kitt:details-start -->'));
    expect(caution).toContain('@&#8203;octocat');
  });
});

describe('plan text in the comment carries no bidi control', () => {
  it.each<[string, Json]>([
    ['action_reason', { resource_changes: [resource('aws_s3_bucket.a', ['delete'], { action_reason: `x${RLO}y` })] }],
    [
      'an import id',
      { resource_changes: [resource('aws_s3_bucket.a', ['no-op'], {}, { importing: { id: `x${RLO}y` } })] },
    ],
    [
      'a moved-from address',
      { resource_changes: [resource('aws_s3_bucket.a', ['no-op'], { previous_address: `aws_s3_bucket.x${RLO}y` })] },
    ],
    ['a deposed key', { resource_changes: [resource('aws_s3_bucket.a', ['delete'], { deposed: `x${RLO}y` })] }],
    ['an address', { resource_changes: [resource(`aws_s3_bucket.x${RLO}y`, ['delete'])] }],
    [
      'terraform_version',
      { terraform_version: `1.11.4${RLO}`, resource_changes: [resource('aws_s3_bucket.a', ['delete'])] },
    ],
    [
      'an attribute value (inside <pre>)',
      { resource_changes: [resource('aws_s3_bucket.a', ['update'], {}, { after: { id: `x${RLO}y` } })] },
    ],
  ])('in %s: shown as <U+202E>', (_field, plan) => {
    const md = render(plan);
    expect(md).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/);
    expect(md).toContain('&lt;U+202E&gt;');
  });

  const controls = [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c];
  it.each(controls.map((c) => [c.toString(16).toUpperCase().padStart(4, '0'), String.fromCharCode(c)]))(
    'replaces U+%s wherever plan text is escaped',
    (hex, control) => {
      expect(escapeInline(`a${control}b`)).toBe(`a&lt;U+${hex}&gt;b`);
      expect(escapeHtml(`a${control}b`)).toBe(`a&lt;U+${hex}&gt;b`);
    },
  );
});

describe('format_version', () => {
  it.each(['1.2 @octocat', '1.2.3', '1.2\n', `1.2${RLO}`, 'v1.2', '1.'])(
    'refuses %j with PLAN_FIELD_INVALID',
    (version) => {
      let error: unknown;
      try {
        stackResultFromPlan({ format_version: version }, meta);
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(PlanFormatError);
      expect(error).toMatchObject({ code: 'PLAN_FIELD_INVALID', path: 'format_version' });
    },
  );

  it.each(['0.1', '1.0', '1.2', '1.10'])('reads %s', (version) => {
    expect(stackResultFromPlan({ format_version: version }, meta).summary?.formatVersion).toBe(version);
  });
});
