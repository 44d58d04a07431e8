import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps list order', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[{"c":2,"d":1}]}');
  });

  it('keeps a key named __proto__', () => {
    expect(canonicalJson(JSON.parse('{"b": 1, "__proto__": {"x": 1}}'))).toBe('{"__proto__":{"x":1},"b":1}');
  });

  it('writes what JSON.stringify of a key-sorted copy wrote: index keys first, undefined left out, NaN as null', () => {
    const value = { b: 1, '10': [1, undefined, NaN], '9': { z: undefined }, '01': null, a: new Date(0) };
    expect(canonicalJson(value)).toBe('{"9":{},"10":[1,null,null],"01":null,"a":"1970-01-01T00:00:00.000Z","b":1}');
  });
});
