import { exampleConfig, renderNode, ROLE_CASES, scriptsOf } from './__fixtures__/example-config';

/** Shapes of secrets that must never be in user data. */
const SECRET_SHAPES: readonly [string, RegExp][] = [
  ['a private key', /BEGIN [A-Z ]*PRIVATE KEY/],
  ['a bootstrap token', /\b[a-z0-9]{6}\.[a-z0-9]{16}\b/],
  ['a certificate key or CA pin', /\b[0-9a-f]{64}\b/],
  ['an AWS access key id', /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
];

/** Every `--name` argument in a script, as written. */
function nameArguments(script: string): string[] {
  return [...script.matchAll(/--name\s+(\S+)/g)].map((match) => match[1] as string);
}

describe('secrets in user data', () => {
  it.each(ROLE_CASES)('holds no private key, token or key material in the $label user data', ({ role, member }) => {
    const { text } = renderNode(role, member);
    for (const [what, shape] of SECRET_SHAPES)
      expect({ what, found: shape.exec(text)?.[0] }).toEqual({ what, found: undefined });
  });

  it('lets worker scripts name only the join parameters and the CA certificate, as literal parameter names', () => {
    const names = [...scriptsOf(renderNode('worker')).values()].flatMap(nameArguments);
    expect(names.length).toBeGreaterThan(0);
    const prefix = exampleConfig.ssmPrefix;
    for (const name of names) expect(name).toMatch(new RegExp(`^'${prefix}(join/[a-z-]+|ca\\.crt)'$`));
  });

  it('gives workers no SSM helper that could read a parameter by a computed name', () => {
    const worker = renderNode('worker');
    expect([...worker.files.keys()].some((path) => path.endsWith('/pki-lib.sh'))).toBe(false);
    for (const script of scriptsOf(worker).values()) expect(script).not.toMatch(/\bssm_get\b|\bssm_put/);
  });
});
