import { endOfFirstJsonValue, readShowOutput } from './show-output';

const SECRET = 'PLANTED-s3cr3t';
const plan = JSON.stringify({ format_version: '1.2', variables: { password: { value: SECRET } } });

describe('readShowOutput', () => {
  it('reads stdout that is JSON as a whole', () => {
    expect(readShowOutput(`${plan}\n`)).toMatchObject({ ok: true, planJson: JSON.parse(plan), trailingChars: 0 });
  });

  it('reads a whole JSON object followed by a warning line, and keeps the object alone', () => {
    const read = readShowOutput(`${plan}\nWarning: something Terraform wanted to say\n`);
    expect(read).toMatchObject({ ok: true, planJsonText: plan, planJson: JSON.parse(plan) });
  });

  it('refuses output cut short, with a reason that quotes none of it', () => {
    const read = readShowOutput(plan.slice(0, plan.indexOf(SECRET) + SECRET.length));
    expect(read).toEqual({
      ok: false,
      code: 'PLAN_NOT_JSON',
      reason: 'stdout ends before its JSON object does (output cut short?)',
    });
  });

  it('refuses an invalid object without quoting it (JSON.parse would)', () => {
    const read = readShowOutput(`{"password": ${SECRET}}\ntrailer`);
    expect(read.ok).toBe(false);
    expect(JSON.stringify(read)).not.toContain(SECRET);
    expect(read).toMatchObject({ reason: expect.stringMatching(/^stdout's JSON object is not valid JSON/) });
  });

  it('refuses stdout that does not start with a JSON object', () => {
    expect(readShowOutput(`Warning: first\n${plan}`)).toMatchObject({
      ok: false,
      reason: 'stdout does not start with a JSON object',
    });
  });

  it('refuses empty stdout', () => {
    expect(readShowOutput(' \n')).toMatchObject({ ok: false, reason: 'stdout is empty' });
  });
});

describe('endOfFirstJsonValue', () => {
  it('ignores brackets and escaped quotes inside strings', () => {
    const json = '{"a":"}]\\"{","b":[{"c":"\\\\"}]}';
    expect(endOfFirstJsonValue(`${json}}}`, 0)).toBe(json.length);
  });

  it('walks any nesting depth without recursion', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect(endOfFirstJsonValue(`${deep} tail`, 0)).toBe(deep.length);
  });

  it('finds no end in text that stops inside the value', () => {
    expect(endOfFirstJsonValue('{"a":[1,2', 0)).toBeUndefined();
  });
});
