import { configHash } from './config-hash';

describe('configHash', () => {
  it('ignores key order', () => {
    expect(configHash('{"a":1,"b":{"c":2,"d":3}}')).toBe(configHash('{"b":{"d":3,"c":2},"a":1}'));
  });

  it("ignores cdktf's // metadata at every level", () => {
    const withMetadata = JSON.stringify({
      '//': { metadata: { version: '0.21.0', stackName: 'x' } },
      resource: { terraform_data: { a: { '//': { metadata: { path: 'x/a' } }, input: 1 } } },
    });
    const upgraded = JSON.stringify({
      '//': { metadata: { version: '0.22.0', stackName: 'x' } },
      resource: { terraform_data: { a: { '//': { metadata: { path: 'x/renamed/a' } }, input: 1 } } },
    });
    expect(configHash(withMetadata)).toBe(configHash(upgraded));
  });

  it('changes when a value Terraform reads changes', () => {
    expect(configHash('{"resource":{"x":{"input":1}}}')).not.toBe(configHash('{"resource":{"x":{"input":2}}}'));
  });

  it('keeps array order, which Terraform reads', () => {
    expect(configHash('{"zones":["a","b"]}')).not.toBe(configHash('{"zones":["b","a"]}'));
  });
});
