import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '../../../..');
const PATCHES = path.join(REPO, 'scripts', 'cdktf-bundle-patches.mjs');
const RESOLVE = require.resolve('cdktf/lib/tokens/private/resolve.js');

/** scripts/cdktf-bundle-patches.mjs's patchCdktfResolve of `source`, run as the build runs it (an ES module in Node). */
function patch(source: string): { code: number | null; stdout: string; stderr: string } {
  const script = `import { patchCdktfResolve } from ${JSON.stringify(PATCHES)};
let input = ''; for await (const chunk of process.stdin) input += chunk;
process.stdout.write(patchCdktfResolve(input));`;
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
