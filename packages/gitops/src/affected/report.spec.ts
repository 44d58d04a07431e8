import { affectedReportSchema, parseAffectedStacks } from './report';
import type { AffectedReport, AffectedStack } from './types';

const entry = {
  flag: 'acme-prod-us-east-1',
  stack: 'acme-prod-us-east-1-flag',
  layer: 'flag',
  dependsOn: [],
  reason: 'new',
};

describe('parseAffectedStacks', () => {
  it('reads the stacks of a `kitt affected --json` report, ignoring fields it does not use', () => {
    const report = {
      base: 'abc',
      stacks: [{ ...entry, flagDir: 'flags/acme/prod/us-east-1', accountId: '1', configHash: 'x' }],
      unchanged: [],
    };
    expect(parseAffectedStacks(report, 'a.json')).toEqual({
      stacks: [{ ...entry, flagDir: 'flags/acme/prod/us-east-1' }],
      base: 'abc',
      issues: [],
    });
  });

  it('has no base commit for a bare list', () => {
    expect(parseAffectedStacks([entry], 'a.json').base).toBeUndefined();
  });

  it('refuses a base commit that is not a string, naming the field', () => {
    expect(parseAffectedStacks({ base: 42, stacks: [] }, 'a.json').issues).toEqual([
      expect.objectContaining({ code: 'STACKS_FILE_INVALID', path: 'base', received: 42 }),
    ]);
  });

  it('reads a bare list and derives each FLAG directory from its id', () => {
    expect(parseAffectedStacks([entry], 'a.json').stacks[0]?.flagDir).toBe('flags/acme/prod/us-east-1');
  });

  it('reports every bad field, not just the first', () => {
    const { issues } = parseAffectedStacks(
      [
        { ...entry, layer: 'cells', dependsOn: 'x' },
        { ...entry, stack: '' },
      ],
      'a.json',
    );
    expect(issues.map((i) => [i.code, i.file, i.path])).toEqual([
      ['STACKS_FILE_INVALID', 'a.json', '[0].layer'],
      ['STACKS_FILE_INVALID', 'a.json', '[0].dependsOn'],
      ['STACKS_FILE_INVALID', 'a.json', '[1].stack'],
    ]);
  });

  it('refuses a document without a stack list', () => {
    expect(parseAffectedStacks({ flags: [] }, 'a.json').issues).toEqual([expect.objectContaining({ path: 'stacks' })]);
  });
});

describe('parseAffectedStacks issues', () => {
  it('say what each bad field received and what would be right', () => {
    const { issues } = parseAffectedStacks(
      { stacks: [{ ...entry, flag: '', reason: 'gone', dependsOn: ['a', 1] }] },
      'a.json',
    );
    expect(issues).toEqual([
      {
        code: 'STACKS_FILE_INVALID',
        file: 'a.json',
        path: 'stacks[0].flag',
        message: 'expected a non-empty string',
        received: '',
        expected: 'a non-empty string',
      },
      expect.objectContaining({
        path: 'stacks[0].reason',
        received: 'gone',
        expected: 'one of new, config-changed, upstream-changed, removed',
      }),
      expect.objectContaining({ path: 'stacks[0].dependsOn', received: ['a', 1], expected: 'a list of stack names' }),
    ]);
  });

  it('keep the good entries of a list with bad ones', () => {
    const { stacks, issues } = parseAffectedStacks([entry, { ...entry, flagDir: 3 }, 'x'], 'a.json');
    expect(stacks).toHaveLength(1);
    expect(issues.map((i) => [i.path, i.expected])).toEqual([
      ['[1].flagDir', 'a string'],
      ['[2]', 'an object {flag, stack, layer, dependsOn, reason}'],
    ]);
  });

  it('refuse a document that is neither a report nor a list, showing the document', () => {
    expect(parseAffectedStacks('x', 'a.json').issues).toEqual([
      expect.objectContaining({ path: 'stacks', received: 'x' }),
    ]);
  });
});

describe('affectedReportSchema', () => {
  it('accepts the report kitt affected --json prints', () => {
    const stack: AffectedStack = {
      flag: 'acme-prod-us-east-1',
      flagDir: 'flags/acme/prod/us-east-1',
      stack: 'acme-prod-us-east-1-flag',
      layer: 'flag',
      dependsOn: [],
      reason: 'new',
      accountId: '111122223333',
      configHash: 'c',
    };
    const report: AffectedReport = {
      base: 'b'.repeat(40),
      head: null,
      detector: 'paths',
      flags: ['acme-prod-us-east-1'],
      stacks: [stack],
      unchanged: [{ ...stack, stack: 'acme-prod-us-east-1-addons-a', layer: 'addons', reason: 'unchanged' }],
      matrix: { include: [] },
      warnings: [],
    };
    expect(affectedReportSchema.safeParse(JSON.parse(JSON.stringify(report))).success).toBe(true);
  });
});
