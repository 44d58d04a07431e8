import { flagOutput, runSynthBatch, synthCalls, type KittRun, type RunKitt } from './synth-executor';

const output = [
  '✓ flags/a/prod/us-east-1 → cdktf.out/a-prod-us-east-1',
  '  a-prod-us-east-1-flag (flag): 53 resources, sha256 ac4e349cb72e',
  '✓ flags/b/prod/us-east-1 → cdktf.out/b-prod-us-east-1',
  '  b-prod-us-east-1-flag (flag): 40 resources, sha256 0123456789ab',
  '✓ 2 FLAG(s), 2 stack(s) synthesized into cdktf.out',
  '',
].join('\n');

/** A stand-in for kitt: answers each call with `answer(args)` and records the calls. */
function fakeKitt(answer: (args: readonly string[]) => KittRun): { run: RunKitt; calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    run: async (_root, args) => {
      calls.push([...args]);
      return answer(args);
    },
  };
}

describe('synthCalls', () => {
  it('makes one kitt synth call per output root, FLAGs in the order of their tasks', () => {
    expect(
      synthCalls([
        { id: 'flag-b:synth', projectRoot: 'flags/b/prod/us-east-1', outDir: 'cdktf.out' },
        { id: 'flag-c:synth', projectRoot: 'flags/c/prod/us-east-1', outDir: 'other.out' },
        { id: 'flag-a:synth', projectRoot: 'flags/a/prod/us-east-1', outDir: 'cdktf.out' },
      ]),
    ).toEqual([
      {
        outDir: 'cdktf.out',
        dirs: ['flags/b/prod/us-east-1', 'flags/a/prod/us-east-1'],
        taskIds: ['flag-b:synth', 'flag-a:synth'],
      },
      { outDir: 'other.out', dirs: ['flags/c/prod/us-east-1'], taskIds: ['flag-c:synth'] },
    ]);
  });
});

describe('flagOutput', () => {
  it("cuts kitt synth's output down to one FLAG's lines", () => {
    expect(flagOutput(output, 'flags/a/prod/us-east-1')).toBe(
      '✓ flags/a/prod/us-east-1 → cdktf.out/a-prod-us-east-1\n  a-prod-us-east-1-flag (flag): 53 resources, sha256 ac4e349cb72e\n',
    );
    expect(flagOutput(output, 'flags/b/prod/us-east-1')).toContain('b-prod-us-east-1-flag (flag)');
    expect(flagOutput(output, 'flags/b/prod/us-east-1')).not.toContain('2 FLAG(s)');
  });

  it('is empty for a FLAG the output does not mention', () => {
    expect(flagOutput(output, 'flags/z/prod/us-east-1')).toBe('');
  });
});

describe('runSynthBatch', () => {
  const call = {
    outDir: 'cdktf.out',
    dirs: ['flags/a/prod/us-east-1', 'flags/b/prod/us-east-1'],
    taskIds: ['flag-a:synth', 'flag-b:synth'],
  };

  it('synthesizes the whole batch with one kitt synth, and gives each task its own lines', async () => {
    const kitt = fakeKitt(() => ({ code: 0, stdout: output, stderr: '' }));
    const results = await runSynthBatch('/repo', [call], kitt.run);
    expect(kitt.calls).toEqual([['synth', 'flags/a/prod/us-east-1', 'flags/b/prod/us-east-1', '--out', 'cdktf.out']]);
    expect(results['flag-a:synth']).toEqual({ success: true, terminalOutput: flagOutput(output, call.dirs[0] ?? '') });
    expect(results['flag-b:synth']?.success).toBe(true);
  });

  it('runs each FLAG on its own when the batch fails, so that only the bad FLAG fails, with its error', async () => {
    const kitt = fakeKitt((args) =>
      args.includes('flags/b/prod/us-east-1')
        ? { code: 1, stdout: '', stderr: 'kitt synth: flags/b/prod/us-east-1/flag.yaml: cells[0].zone is not a zone\n' }
        : { code: 0, stdout: output, stderr: '' },
    );
    const results = await runSynthBatch('/repo', [call], kitt.run);
    expect(kitt.calls).toEqual([
      ['synth', 'flags/a/prod/us-east-1', 'flags/b/prod/us-east-1', '--out', 'cdktf.out'],
      ['synth', 'flags/a/prod/us-east-1', '--out', 'cdktf.out'],
      ['synth', 'flags/b/prod/us-east-1', '--out', 'cdktf.out'],
    ]);
    expect(results['flag-a:synth']?.success).toBe(true);
    expect(results['flag-b:synth']).toEqual({
      success: false,
      terminalOutput: 'kitt synth: flags/b/prod/us-east-1/flag.yaml: cells[0].zone is not a zone\n',
    });
  });
});
