import { code } from './markdown';
import { readPlanMetadata, renderNoPlanComment, renderPlanComment } from './render';
import { NO_STACK_TO_PLAN, type UnchangedFlag } from './render-empty';

const FLAG = 'acme-prod-us-east-1';
const HEAD = '0123456789abcdef0123456789abcdef01234567';
const BASE = 'fedcba9876543210fedcba9876543210fedcba98';
const COMMITS = { headSha: HEAD, baseSha: BASE, runId: '987654321' };

/** `count` FLAGs of `stacks` stacks each, with long names, as a big organization's change detection lists them. */
function manyFlags(count: number, stacks: number): UnchangedFlag[] {
  return Array.from({ length: count }, (_, i) => {
    const flagId = `customer${String(i).padStart(3, '0')}-production-ap-southeast-2`;
    return {
      flagId,
      stacks: [`${flagId}-flag`, ...Array.from({ length: stacks - 1 }, (_, c) => `${flagId}-cell-c${c}`)],
    };
  });
}

describe('the record of a change with no stack to plan', () => {
  it('says plainly that there is no stack to plan when a record has zero stacks', () => {
    const md = renderPlanComment({ ...COMMITS, stacks: [] });
    expect(md.startsWith('# Plan: no stack to plan\n')).toBe(true);
    expect(md).toContain(`**${NO_STACK_TO_PLAN}**`);
    expect(NO_STACK_TO_PLAN).toBe("No stack to plan: this change touches no FLAG's synthesized configuration.");
    expect(md).not.toContain('to add');
    expect(md).not.toContain('## FLAG');
  });

  it('names the head and base commits and the run', () => {
    const md = renderNoPlanComment(COMMITS);
    expect(md).toContain(`head ${HEAD} · base ${BASE} · run ${code('987654321')}`);
  });

  it('carries a metadata block with zero stacks that readPlanMetadata reads back', () => {
    expect(readPlanMetadata(renderNoPlanComment(COMMITS))).toEqual({ version: 1, ...COMMITS, stacks: [] });
  });

  it('keeps the list of unchanged FLAGs out of the metadata', () => {
    const md = renderNoPlanComment({ ...COMMITS, unchangedFlags: [{ flagId: FLAG, stacks: [`${FLAG}-flag`] }] });
    expect(readPlanMetadata(md)?.stacks).toEqual([]);
  });

  it('lists each FLAG found unchanged with its stacks', () => {
    const md = renderNoPlanComment({
      ...COMMITS,
      unchangedFlags: [
        { flagId: FLAG, stacks: [`${FLAG}-flag`, `${FLAG}-cell-a`] },
        { flagId: 'beta-dev-eu-west-1', stacks: ['beta-dev-eu-west-1-flag'] },
      ],
    });
    expect(md).toContain('Change detection synthesized 2 FLAG(s) at head and at base');
    expect(md).toContain(`| ${code(FLAG)} | ${code(`${FLAG}-flag`)}, ${code(`${FLAG}-cell-a`)} |`);
    expect(md).toContain(`| ${code('beta-dev-eu-west-1')} | ${code('beta-dev-eu-west-1-flag')} |`);
  });

  it('says so when change detection found no FLAG the change could affect', () => {
    const md = renderNoPlanComment({ ...COMMITS, unchangedFlags: [] });
    expect(md).toContain('Change detection found no FLAG that this change could affect.');
    expect(md).not.toContain('| FLAG |');
  });

  it("lists nothing when change detection's findings were not given", () => {
    const md = renderNoPlanComment(COMMITS);
    expect(md).not.toContain('Change detection');
  });

  it('keeps a FLAG id from breaking the table or opening markup', () => {
    const md = renderNoPlanComment({ ...COMMITS, unchangedFlags: [{ flagId: 'a|b</code><script>', stacks: [] }] });
    expect(md).toContain('| <code>a\\|b&lt;/code&gt;&lt;script&gt;</code> | — |');
    expect(md).not.toContain('<script>');
  });

  it('counts stacks instead of naming them when 250 FLAGs would not fit, and names every FLAG', () => {
    const flags = manyFlags(250, 8);
    const md = renderNoPlanComment({ ...COMMITS, unchangedFlags: flags });
    expect(md.length).toBeLessThanOrEqual(60_000);
    for (const f of flags) expect(md).toContain(`| ${code(f.flagId)} | 8 stack(s) |`);
  });

  it('stays under a small budget and counts the FLAGs it could not list', () => {
    const md = renderNoPlanComment({ ...COMMITS, unchangedFlags: manyFlags(250, 8) }, { maxChars: 2_000 });
    expect(md.length).toBeLessThanOrEqual(2_000);
    const listed = (md.match(/^\| <code>customer/gm) ?? []).length;
    expect(listed).toBeGreaterThan(0);
    expect(md).toContain(`… and ${250 - listed} more FLAG(s), not listed for room`);
    expect(md).toContain(`**${NO_STACK_TO_PLAN}**`);
    expect(readPlanMetadata(md)?.headSha).toBe(HEAD);
  });

  it('refuses a budget outside 2,000 to 65,536 characters', () => {
    expect(() => renderNoPlanComment(COMMITS, { maxChars: 1_000 })).toThrow(RangeError);
  });
});
