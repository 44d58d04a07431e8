import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Lazy, TerraformOutput, TerraformStack, Token } from 'cdktf';
import { parseFlag, parseOrg } from '@kitt/flag-config';
import { synthesizeFlag } from './app';
import { registeredTokenCount, releasingAppTokens } from './token-registry';
import { fixture } from './__fixtures__/temp-repo';

const flag = parseFlag(fixture('payments-prod-us-east-1.flag.yaml'), 'flags/payments/prod/us-east-1/flag.yaml');
const org = parseOrg(fixture('org.yaml'));

let outDir: string;
beforeEach(() => {
  outDir = mkdtempSync(path.join(tmpdir(), 'kitt-token-registry-'));
});
afterEach(() => rmSync(outDir, { recursive: true, force: true }));

/** A one-output App whose value is a token, synthesized into `outDir`; returns the output's value as written. */
function synthesizeOutput(value: string): unknown {
  const app = new App({ outdir: outDir, stackTraces: false });
  new TerraformOutput(new TerraformStack(app, 'stack'), 'out', { value });
  app.synth();
  const config = JSON.parse(readFileSync(path.join(outDir, 'stacks', 'stack', 'cdk.tf.json'), 'utf8'));
  return config.output.out.value;
}

describe('releasingAppTokens', () => {
  it('leaves cdktf holding as many tokens after a FLAG synthesizes as before', () => {
    synthesizeFlag(flag, org, outDir); // cdktf's module-level tokens exist from here on
    const before = registeredTokenCount();
    synthesizeFlag(flag, org, outDir);
    expect(before).toEqual(expect.any(Number));
    expect(registeredTokenCount()).toBe(before);
  });

  it('counts the tokens an App registers outside it, which cdktf keeps for good', () => {
    const before = registeredTokenCount() ?? 0;
    synthesizeOutput(Lazy.stringValue({ produce: () => 'kept for good' }));
    expect(registeredTokenCount()).toBeGreaterThan(before);
  });

  it('drops the tokens registered while it ran, also when that throws', () => {
    const before = registeredTokenCount() ?? 0;
    expect(() =>
      releasingAppTokens(() => {
        Token.asString(Lazy.stringValue({ produce: () => 'made inside' }));
        expect(registeredTokenCount()).toBe(before + 1);
        throw new Error('synthesis failed');
      }),
    ).toThrow('synthesis failed');
    expect(registeredTokenCount()).toBe(before);
  });

  it('keeps a token registered before it ran, which a later App still resolves', () => {
    const kept = Lazy.stringValue({ produce: () => 'made before' });
    releasingAppTokens(() => synthesizeOutput(Lazy.stringValue({ produce: () => 'made inside' })));
    expect(synthesizeOutput(kept)).toBe('made before');
  });

  it('returns what it ran returned', () => {
    expect(releasingAppTokens(() => 42)).toBe(42);
  });
});
