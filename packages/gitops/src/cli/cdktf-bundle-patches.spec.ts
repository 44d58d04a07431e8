import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runInThisContext } from 'node:vm';
import { parseFlag, parseOrg } from '@kitt/flag-config';
import { synthesizeFlag } from '../synth/app';
import { fixture } from '../synth/__fixtures__/temp-repo';

const REPO = path.resolve(__dirname, '../../../..');
const PATCHES = path.join(REPO, 'scripts', 'cdktf-bundle-patches.mjs');
const RESOLVE = require.resolve('cdktf/lib/tokens/private/resolve.js');
/** The json-stable-stringify cdktf loads (its own copy, or the hoisted one). */
const STABLE_STRINGIFY = createRequire(require.resolve('cdktf')).resolve('json-stable-stringify');

/** scripts/cdktf-bundle-patches.mjs's `patcher` of `source`, run as the build runs it (an ES module in Node). */
function patch(source: string, patcher = 'patchCdktfResolve'): { code: number | null; stdout: string; stderr: string } {
  const script = `import { ${patcher} } from ${JSON.stringify(PATCHES)};
let input = ''; for await (const chunk of process.stdin) input += chunk;
process.stdout.write(${patcher}(input));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    input: source,
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("the bundle's patch of cdktf's token resolution", () => {
  const installed = readFileSync(RESOLVE, 'utf8');

  it('builds the diagnostic path only where an error reads it', () => {
    const { code, stdout } = patch(installed);
    expect(code).toBe(0);
    expect(stdout).not.toContain('const pathName');
    expect(stdout.match(/\("\/" \+ prefix\.join\("\/"\)/g)).toHaveLength(4);
  });

  it('passes the options on by field instead of copying them', () => {
    const { stdout } = patch(installed);
    expect(stdout).not.toContain('...options');
    expect(stdout).toContain('scope: options.scope,');
  });

  it('changes only the lines of those two, and the string context', () => {
    const { stdout } = patch(installed);
    const patchedLines = new Set(stdout.split('\n'));
    const removed = installed.split('\n').filter((line) => !patchedLines.has(line));
    expect(removed.map((line) => line.trim())).toEqual([
      'const pathName = "/" + prefix.join("/");',
      '...options,',
      'throw (0, errors_1.unableToResolveCircularReference)(pathName);',
      'throw (0, errors_1.cannotResolveFunction)(pathName, obj);',
      'const context = makeContext()[0];',
      'const tokenStr = encoding_1.TokenString.forString(str, !context.ignoreEscapes, context.warnEscapes);',
      'throw (0, errors_1.constructsCannotBeResolved)(pathName);',
      'throw (0, errors_1.mapKeyMustResolveToString)(pathName, key, resolvedKey);',
    ]);
  });

  it('refuses a resolve.js it was not written for, naming what to update', () => {
    const { code, stderr } = patch(installed.replace('...options,', '...otherOptions,'));
    expect(code).not.toBe(0);
    expect(stderr).toContain('update scripts/cdktf-bundle-patches.mjs for this cdktf version');
  });
});

type Stringify = (value: unknown, options?: unknown) => string | undefined;

/** A CommonJS module's exports from its source, as if it were the file at `file`. */
function loadModule(source: string, file: string): Stringify {
  const wrapper = runInThisContext(`(function (exports, require, module, __filename, __dirname) {${source}\n})`);
  const module = { exports: {} as unknown };
  wrapper(module.exports, createRequire(file), module, file, path.dirname(file));
  return module.exports as Stringify;
}

/** A JSON-like value of `depth` levels from a seeded generator: objects, arrays, every scalar, `undefined`s and functions. */
function jsonLike(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 0 ? 10 : 7));
  const scalars = [null, true, -1.5e300, 'x\u2028"\\', '', undefined, () => 1];
  if (pick < scalars.length) return scalars[pick];
  const size = Math.floor(next() * 4);
  if (pick === 7) return Array.from({ length: size }, () => jsonLike(next, depth - 1));
  if (pick === 8) return new Date(Math.floor(next() * 1e12));
  const keys = ['b', 'a', '//', 'Z', 'é', '10', '2', 'a b'];
  return Object.fromEntries(
    Array.from({ length: size }, () => [keys[Math.floor(next() * keys.length)], jsonLike(next, depth - 1)]),
  );
}

describe("the bundle's patch of json-stable-stringify, as cdktf writes each config", () => {
  const original = readFileSync(STABLE_STRINGIFY, 'utf8');
  const slow = loadModule(original, STABLE_STRINGIFY);
  const patched = patch(original, 'patchStableStringify');
  const fast = loadModule(patched.stdout, STABLE_STRINGIFY);

  it("writes the original's text for { space: 2 } and { space: '\\t' }, empty objects and arrays, undefined and functions included", () => {
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 2000; i += 1) {
      const value = jsonLike(next, 4);
      expect(fast(value, { space: 2 })).toBe(slow(value, { space: 2 }));
      expect(fast(value, { space: '\t' })).toBe(slow(value, { space: '\t' }));
    }
  });

  it('writes the text cdktf wrote for each stack of a FLAG', () => {
    const flag = parseFlag(fixture('payments-prod-us-east-1.flag.yaml'), 'flags/payments/prod/us-east-1/flag.yaml');
    const out = mkdtempSync(path.join(tmpdir(), 'kitt-stable-stringify-'));
    try {
      const { outDir, stacks } = synthesizeFlag(flag, parseOrg(fixture('org.yaml')), out);
      expect(stacks.length).toBeGreaterThan(2);
      for (const stack of stacks) {
        const written = readFileSync(path.join(outDir, stack.configFile), 'utf8');
        expect(fast(JSON.parse(written), { space: 2 })).toBe(written);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('leaves every other call to the original', () => {
    const value = { b: 1, a: { d: [2, 1], c: undefined } };
    const options = [
      undefined,
      { space: 2.5 },
      { space: 2, cycles: true },
      { cmp: (a: { key: string }, b: { key: string }) => (a.key < b.key ? 1 : -1) },
    ];
    for (const option of options) expect(fast(value, option)).toBe(slow(value, option));
  });

  it('throws on a cycle, as the original does', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => fast(cyclic, { space: 2 })).toThrow('Converting circular structure to JSON');
  });

  it('refuses a module it was not written for, naming what to update', () => {
    const { code, stderr } = patch(
      original.replace('function stableStringify(obj)', 'function other(obj)'),
      'patchStableStringify',
    );
    expect(code).not.toBe(0);
    expect(stderr).toContain('update scripts/cdktf-bundle-patches.mjs for this version');
  });
});
