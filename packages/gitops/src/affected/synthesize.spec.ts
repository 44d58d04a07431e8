import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configHash } from '../synth/config-hash';
import { readSynthesizedStacks } from './synthesize';

const FLAG_DIR = 'flags/search/prod/us-west-2';
const STACK = 'search-prod-us-west-2-flag';
const CONFIG = JSON.stringify({ '//': { metadata: 'cdktf 0.21' }, resource: { terraform_data: { a: { input: 1 } } } });

let outDir: string;
beforeEach(() => {
  outDir = mkdtempSync(join(tmpdir(), 'kitt-read-synthesized-'));
  const flagOut = join(outDir, 'search-prod-us-west-2');
  mkdirSync(join(flagOut, 'stacks', STACK), { recursive: true });
  const manifest = { stacks: { [STACK]: { name: STACK, workingDirectory: `stacks/${STACK}`, dependencies: [] } } };
  writeFileSync(join(flagOut, 'manifest.json'), JSON.stringify(manifest));
  writeFileSync(join(flagOut, 'stacks', STACK, 'cdk.tf.json'), CONFIG);
});
afterEach(() => rmSync(outDir, { recursive: true, force: true }));

describe('readSynthesizedStacks', () => {
  it("gives each stack its config's hash", () => {
    expect(readSynthesizedStacks(outDir, [FLAG_DIR])).toEqual([
      expect.objectContaining({ flag: 'search-prod-us-west-2', stack: STACK, configHash: configHash(CONFIG) }),
    ]);
  });

  it('takes the hash of a file whose bytes it read before from the memo the sides share', () => {
    const memo = new Map([[createHash('sha256').update(CONFIG).digest('hex'), 'hashed by the other side']]);
    expect(readSynthesizedStacks(outDir, [FLAG_DIR], memo)[0]?.configHash).toBe('hashed by the other side');
  });

  it('adds what it hashed to the memo', () => {
    const memo = new Map<string, string>();
    readSynthesizedStacks(outDir, [FLAG_DIR], memo);
    expect([...memo.values()]).toEqual([configHash(CONFIG)]);
  });

  it('says which FLAG kitt synth wrote no manifest for', () => {
    rmSync(join(outDir, 'search-prod-us-west-2', 'manifest.json'));
    expect(() => readSynthesizedStacks(outDir, [FLAG_DIR])).toThrow(
      expect.objectContaining({ code: 'AFFECTED_SYNTH_OUTPUT_MISSING', message: expect.stringContaining(FLAG_DIR) }),
    );
  });
});
