import { KittError, StackInputError } from './kitt-error';

class ExampleLayerError extends StackInputError {}

describe('a stack input error', () => {
  const issue = {
    code: 'CELL_UNKNOWN',
    file: 'flags/acme/prod/eu-west-1/flag.yaml',
    path: 'cells',
    message: 'acme-prod-eu-west-1 has no cell "z9".',
    received: 'z9',
    expected: 'one of a1',
  };

  it('is an input KittError named after its layer, carrying its one issue', () => {
    const error = new ExampleLayerError(issue);
    expect(error).toBeInstanceOf(KittError);
    expect(error).toMatchObject({ name: 'ExampleLayerError', code: 'CELL_UNKNOWN', kind: 'input', issues: [issue] });
  });

  it('reads as the issue itself: file, field, what was received and expected', () => {
    expect(new ExampleLayerError(issue)).toMatchObject({
      file: issue.file,
      path: 'cells',
      received: 'z9',
      expected: 'one of a1',
      message: issue.message,
    });
  });
});
