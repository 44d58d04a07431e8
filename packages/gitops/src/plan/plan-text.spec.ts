import { PlanFormatError } from './errors';
import { decodePlanText, parsePlanText } from './plan-text';
import { fixtureBytes, fixturePlan } from './__fixtures__/fixtures';

const text = '{"format_version":"1.2","name":"Zürich ✓"}';

describe('parsePlanText', () => {
  it('parses UTF-8 text', () => {
    expect(parsePlanText(Buffer.from(text, 'utf8'))).toEqual({ format_version: '1.2', name: 'Zürich ✓' });
  });

  it('strips a UTF-8 byte order mark', () => {
    expect(parsePlanText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]))).toEqual(
      JSON.parse(text),
    );
  });

  it('strips a byte order mark from a string', () => {
    expect(parsePlanText(`\uFEFF${text}`)).toEqual(JSON.parse(text));
  });

  it('reads a UTF-16 little-endian file with a byte order mark, as PowerShell writes it', () => {
    expect(parsePlanText(fixtureBytes('replace.utf16le-bom.plan.json'))).toEqual(fixturePlan('replace.plan.json'));
  });

  it('reads UTF-16 big-endian text with a byte order mark', () => {
    const be = Buffer.from(text, 'utf16le').swap16();
    expect(parsePlanText(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toEqual(JSON.parse(text));
  });

  it('reads UTF-16 little-endian text without a byte order mark', () => {
    expect(decodePlanText(Buffer.from(text, 'utf16le'))).toBe(text);
  });

  it('refuses text that is not JSON with PLAN_NOT_JSON', () => {
    expect(() => parsePlanText('Error: Failed to load plan')).toThrow(
      expect.objectContaining({ code: 'PLAN_NOT_JSON' }) as PlanFormatError,
    );
  });

  it('says where a plan is not JSON without quoting any of it', () => {
    const secret = 'PLANTED-s3cr3t-value';
    let error: PlanFormatError | undefined;
    try {
      parsePlanText(`{"variables": {"password": {"value": ${secret}}}}`);
    } catch (thrown) {
      error = thrown as PlanFormatError;
    }
    expect(error?.code).toBe('PLAN_NOT_JSON');
    expect(JSON.stringify({ message: error?.message, received: error?.received })).not.toContain(secret);
  });
});
