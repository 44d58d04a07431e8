import { InputError, formatIssue, formatIssues } from './errors';
import type { InputIssue } from './types';

const issue: InputIssue = {
  code: 'VPC_NOT_SLASH16',
  file: 'flags/payments/prod/us-east-1/flag.yaml',
  path: 'network.vpcCidr',
  message: 'the VPC must be a /16',
  received: '10.16.0.0/17',
  expected: 'a /16 such as 10.16.0.0/16',
  line: 8,
};

describe('formatIssues', () => {
  it('prints file:line path: message (received; expected) [CODE]', () => {
    expect(formatIssue(issue)).toBe(
      'flags/payments/prod/us-east-1/flag.yaml:8 network.vpcCidr: the VPC must be a /16 (received: "10.16.0.0/17"; expected: a /16 such as 10.16.0.0/16) [VPC_NOT_SLASH16]',
    );
  });

  it('leaves out what is unknown', () => {
    expect(
      formatIssue({ code: 'FLAG_NOT_FOUND', file: 'flags/a/b/c/flag.yaml', path: '', message: 'no FLAG here' }),
    ).toBe('flags/a/b/c/flag.yaml: no FLAG here [FLAG_NOT_FOUND]');
  });

  it('prints values that are not strings as JSON', () => {
    expect(formatIssue({ ...issue, received: ['us-east-1a'], expected: undefined })).toContain(
      '(received: ["us-east-1a"])',
    );
  });

  it('orders issues by file, then line', () => {
    const a = { ...issue, file: 'flags/a/x/y/flag.yaml', line: 9 };
    const b = { ...issue, file: 'flags/a/x/y/flag.yaml', line: 2 };
    const c = { ...issue, file: 'flags/0/x/y/flag.yaml', line: 30 };
    expect(
      formatIssues([a, b, c])
        .split('\n')
        .map((line) => line.split(' ')[0]),
    ).toEqual(['flags/0/x/y/flag.yaml:30', 'flags/a/x/y/flag.yaml:2', 'flags/a/x/y/flag.yaml:9']);
  });
});

describe('InputError', () => {
  it('carries every issue and reads as their report', () => {
    const error = new InputError([issue, { ...issue, line: 9 }]);
    expect(error.issues).toHaveLength(2);
    expect(error.message).toBe(formatIssues(error.issues));
  });
});
