import { createHash } from 'node:crypto';
import { MAX_IDENTIFIER_CHARS, shownIdentifier } from './markdown';
import { stackResultFromPlan, type PlanRecord } from '../plan/record';
import { renderPlanComment } from './render';

const FLAG = 'acme-prod-us-east-1';
const meta = { flagId: FLAG, stack: `${FLAG}-flag`, layer: 'flag' } as const;
const sha = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);

function destroyOf(address: string, extra: Record<string, unknown> = {}) {
  return {
    address,
    mode: 'managed',
    type: 'aws_s3_bucket',
    name: 'b',
    ...extra,
    change: { actions: ['delete'], before: { id: 'x' }, after: null },
  };
}

function render(resourceChanges: unknown[]): string {
  const result = stackResultFromPlan({ format_version: '1.2', resource_changes: resourceChanges }, meta);
  const record: PlanRecord = { headSha: '0123456789abcdef0123456789abcdef01234567', stacks: [result] };
  return renderPlanComment(record);
}

function cautionBlock(markdown: string): string {
  const start = markdown.indexOf('> [!CAUTION]');
  return markdown.slice(start, markdown.indexOf('\n\n', start));
}

const longAddress = (tail: string) => `aws_s3_bucket.b["${'k'.repeat(200_000)}${tail}"]`;

describe('a destroy with a 200,000-character address', () => {
  it('is named in the warning block by its start, its length and a SHA-256 prefix of the whole', () => {
    const address = longAddress('1');
    const md = render([destroyOf(address)]);
    const caution = cautionBlock(md);
    expect(caution).toContain('1 to destroy, 0 to replace');
    expect(caution).toContain(`<code>aws_s3_bucket.b\\["${'k'.repeat(100)}`);
    expect(caution).toContain(`(${address.length} characters, SHA-256 ${sha(address)}…)`);
    expect(caution).not.toContain('more destroy/replace');
    expect(md.length).toBeLessThanOrEqual(60_000);
  });

  it('is told apart from another that starts the same', () => {
    const [a, b] = [longAddress('1'), longAddress('2')];
    const caution = cautionBlock(render([destroyOf(a), destroyOf(b)]));
    expect(caution).toContain(`SHA-256 ${sha(a)}`);
    expect(caution).toContain(`SHA-256 ${sha(b)}`);
  });

  it('has a long deposed key cut the same way', () => {
    const deposed = 'd'.repeat(50_000);
    const caution = cautionBlock(render([destroyOf('aws_s3_bucket.b', { deposed })]));
    expect(caution).toContain(`(50000 characters, SHA-256 ${sha(deposed)}…)`);
  });
});

describe('shownIdentifier', () => {
  it(`shows an identifier of ${MAX_IDENTIFIER_CHARS} characters whole`, () => {
    const id = 'x'.repeat(MAX_IDENTIFIER_CHARS);
    expect(shownIdentifier(id)).toBe(id);
  });

  it('cuts a longer one after its first 1,000 characters', () => {
    const id = 'x'.repeat(MAX_IDENTIFIER_CHARS + 1);
    expect(shownIdentifier(id)).toBe(`${'x'.repeat(1_000)}… (1001 characters, SHA-256 ${sha(id)}…)`);
  });

  it('never cuts between the halves of a surrogate pair', () => {
    const id = `${'x'.repeat(MAX_IDENTIFIER_CHARS - 1)}😀${'y'.repeat(10)}`;
    expect(shownIdentifier(id).startsWith(`${'x'.repeat(MAX_IDENTIFIER_CHARS - 1)}…`)).toBe(true);
  });
});
