import { InputError } from '@kitt/flag-config';
import { unchangedFlagsOf } from './affected-file';

function issuesOf(json: unknown): InputError['issues'] {
  try {
    unchangedFlagsOf(json, 'affected.json');
  } catch (error) {
    if (error instanceof InputError) return error.issues;
    throw error;
  }
  throw new Error('the report was accepted');
}

describe('unchangedFlagsOf', () => {
  it('lists every compared FLAG with its unchanged stacks, in the order of the report', () => {
    const report = {
      flags: ['b-prod-eu-west-1', 'a-prod-eu-west-1'],
      stacks: [],
      unchanged: [
        { flag: 'a-prod-eu-west-1', stack: 'a-prod-eu-west-1-flag', reason: 'unchanged' },
        { flag: 'c-prod-eu-west-1', stack: 'c-prod-eu-west-1-flag' },
      ],
    };
    expect(unchangedFlagsOf(report, 'affected.json')).toEqual([
      { flagId: 'b-prod-eu-west-1', stacks: [] },
      { flagId: 'a-prod-eu-west-1', stacks: ['a-prod-eu-west-1-flag'] },
      { flagId: 'c-prod-eu-west-1', stacks: ['c-prod-eu-west-1-flag'] },
    ]);
  });

  it('refuses what is not a report as a whole', () => {
    expect(issuesOf(['x'])).toEqual([
      {
        code: 'AFFECTED_FILE_INVALID',
        file: 'affected.json',
        path: '',
        message: 'is not a kitt affected report',
        received: ['x'],
        expected: 'the output of `kitt affected --json`',
      },
    ]);
  });

  it('names every bad field in the order of the report, one issue per unchanged entry', () => {
    const report = {
      flags: ['a', 1],
      stacks: [{ stack: 's' }, 2],
      unchanged: [{ flag: 1, stack: 2 }, { flag: 'a', stack: 's' }, 'x'],
    };
    expect(issuesOf(report).map((i) => [i.code, i.path, i.message, i.received, i.expected])).toEqual([
      ['AFFECTED_FILE_INVALID', 'flags', 'flags is not a list of FLAG ids', ['a', 1], 'a list of FLAG ids'],
      [
        'AFFECTED_HAS_STACKS',
        'stacks',
        'lists 2 stack(s) to plan: render their summaries instead of --empty',
        ['s', '?'],
        'no stack to plan',
      ],
      [
        'AFFECTED_FILE_INVALID',
        'unchanged[0]',
        'is not a stack',
        { flag: 1, stack: 2 },
        'an object with flag and stack',
      ],
      ['AFFECTED_FILE_INVALID', 'unchanged[2]', 'is not a stack', 'x', 'an object with flag and stack'],
    ]);
  });

  it('refuses lists that are missing, saying what each should be', () => {
    expect(issuesOf({}).map((i) => [i.path, i.message, i.expected])).toEqual([
      ['flags', 'flags is not a list of FLAG ids', 'a list of FLAG ids'],
      ['stacks', 'stacks is not a list', 'a list of stacks to plan (empty for --empty)'],
      ['unchanged', 'unchanged is not a list', 'a list of unchanged stacks'],
    ]);
  });
});
