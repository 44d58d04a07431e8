import { formatIssues } from './errors';
import { analyseFlag } from './analyse-flag';
import { MAX_INPUT_FILE_BYTES } from './read-input';
import { VALID_FLAG, VALID_FLAG_FILE, edit, lineOf } from './__fixtures__/flag-text';

const codes = (text: string) => analyseFlag(text, VALID_FLAG_FILE).issues.map((issue) => issue.code);

describe('analyseFlag on hostile or careless text', () => {
  it('calls slot "1" a type error, expecting a number 1 or 2', () => {
    const text = edit(VALID_FLAG, '    zone: us-east-1b\n    slot: 1', '    zone: us-east-1b\n    slot: "1"');
    expect(analyseFlag(text, VALID_FLAG_FILE).issues).toEqual([
      expect.objectContaining({
        code: 'INVALID_TYPE',
        path: 'cells[1].slot',
        line: lineOf(text, 'slot: "1"'),
        message: expect.stringContaining('expected a number 1 or 2'),
        expected: 'a number 1 or 2',
      }),
    ]);
  });

  it('refuses a text over the size cap before parsing it', () => {
    const text = `${VALID_FLAG}# ${'x'.repeat(MAX_INPUT_FILE_BYTES)}\n`;
    expect(analyseFlag(text, VALID_FLAG_FILE).issues).toEqual([
      expect.objectContaining({ code: 'FILE_TOO_LARGE', file: VALID_FLAG_FILE, path: '' }),
    ]);
  });

  it('echoes a long invalid value once, cut to about 200 characters with its length', () => {
    const long = 'q'.repeat(200_000);
    const text = edit(VALID_FLAG, 'region: us-east-1', `region: ${long}`);
    const report = formatIssues(analyseFlag(text, VALID_FLAG_FILE).issues);
    expect(report).toContain('(200000 characters)');
    expect(report.length).toBeLessThan(2_000);
  });

  it('echoes a long invalid CIDR cut short in the message and in received', () => {
    const text = edit(VALID_FLAG, 'vpcCidr: 10.16.0.0/16', `vpcCidr: ${'x'.repeat(100_000)}`);
    const report = formatIssues(analyseFlag(text, VALID_FLAG_FILE).issues);
    expect(report).toContain('[CIDR_INVALID]');
    expect(report.length).toBeLessThan(2_000);
  });

  it('reports 10,000 zones as too many, each one not in the region, and the one listed twice', () => {
    const zones = Array.from({ length: 10_000 }, (_, i) => `zone-${i}`);
    const text = edit(VALID_FLAG, '[us-east-1a, us-east-1b, us-east-1c]', `[${zones.join(', ')}, zone-7]`);
    const issues = analyseFlag(text, VALID_FLAG_FILE).issues;
    const count = (code: string) => issues.filter((issue) => issue.code === code).length;
    expect(count('ZONE_NOT_IN_REGION')).toBe(10_001);
    expect(count('TOO_MANY_ZONES')).toBe(1);
    expect(issues).toContainEqual(
      expect.objectContaining({
        code: 'ZONE_DUPLICATE',
        path: 'network.zones[10000]',
        message: 'zone zone-7 is listed twice (first at network.zones[7])',
      }),
    );
  });

  it('refuses a VPC in public space even when it is a /16', () => {
    expect(codes(edit(VALID_FLAG, '10.16.0.0/16', '8.8.0.0/16'))).toEqual(['VPC_NOT_PRIVATE']);
  });

  it('accepts a VPC in RFC 6598 shared space next to the pod network', () => {
    expect(codes(edit(VALID_FLAG, '10.16.0.0/16', '100.100.0.0/16'))).toEqual([]);
  });
});
