import { join } from 'node:path';
import { DEMO_FLAG, DEMO_STACKS, FIXTURES } from '../terraform/__fixtures__/stand-in';
import { parseSynthManifest, readSynthManifest } from './synth-manifest';

const flagOut = join(FIXTURES, 'synth', DEMO_FLAG);

describe('readSynthManifest', () => {
  it("reads cdktf's manifest: each stack with its layer, absolute directory and dependencies", () => {
    const stacks = readSynthManifest(flagOut, DEMO_FLAG);
    expect(stacks.find((s) => s.stack === DEMO_STACKS.addons)).toEqual({
      flagId: DEMO_FLAG,
      stack: DEMO_STACKS.addons,
      layer: 'addons',
      dir: join(flagOut, 'stacks', DEMO_STACKS.addons),
      dependsOn: [DEMO_STACKS.cell, DEMO_STACKS.flag],
    });
    expect(stacks.map((s) => s.layer).sort()).toEqual(['addons', 'cell', 'flag']);
  });

  it('says to synthesize first when there is no manifest', () => {
    expect(() => readSynthManifest(join(FIXTURES, 'synth', 'nope'), 'nope-x-y')).toThrow(
      expect.objectContaining({
        code: 'SYNTH_MANIFEST_MISSING',
        message: expect.stringContaining('synthesize FLAG nope-x-y first'),
      }),
    );
  });
});

describe('parseSynthManifest', () => {
  it('refuses text that is not JSON, naming the file', () => {
    expect(() => parseSynthManifest('/o/manifest.json', '{', DEMO_FLAG)).toThrow(
      expect.objectContaining({ code: 'SYNTH_MANIFEST_INVALID', file: '/o/manifest.json' }),
    );
  });

  it('refuses a stack entry without dependencies, naming it', () => {
    const text = JSON.stringify({ stacks: { x: { name: `${DEMO_FLAG}-flag`, workingDirectory: 'stacks/x' } } });
    expect(() => parseSynthManifest('/o/manifest.json', text, DEMO_FLAG)).toThrow(
      expect.objectContaining({ message: expect.stringContaining('stacks.x') }),
    );
  });
});
