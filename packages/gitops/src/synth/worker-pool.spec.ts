import { InputError, KittError } from '@kitt/flag-config';
import { fromWireError, toWireError, workerCountOf } from './worker-pool';

describe('workerCountOf', () => {
  it('leaves the count to the default when KITT_SYNTH_WORKERS is unset or empty', () => {
    expect(workerCountOf({})).toBeUndefined();
    expect(workerCountOf({ KITT_SYNTH_WORKERS: '' })).toBeUndefined();
  });

  it('takes a whole number from 1', () => {
    expect(workerCountOf({ KITT_SYNTH_WORKERS: '3' })).toBe(3);
  });

  it.each(['0', '-1', '2.5', 'many', '99999'])('refuses KITT_SYNTH_WORKERS=%s with SYNTH_WORKERS_INVALID', (value) => {
    expect(() => workerCountOf({ KITT_SYNTH_WORKERS: value })).toThrow(
      expect.objectContaining({ code: 'SYNTH_WORKERS_INVALID', kind: 'input' }),
    );
  });
});

describe('errors crossing from a worker thread', () => {
  it('stay an InputError with every issue', () => {
    const issue = { code: 'VPC_NOT_SLASH16', file: 'flags/a/b/c/flag.yaml', path: 'network.vpcCidr', message: 'm' };
    const error = fromWireError(toWireError(new InputError([issue])), 'flags/a/b/c');
    expect(error).toBeInstanceOf(InputError);
    expect(error.issues).toEqual([issue]);
  });

  it('keep a KittError’s code and kind', () => {
    const sent = new KittError({ code: 'SYNTH_HCL_OUTPUT', kind: 'external', message: 'unset it' });
    expect(fromWireError(toWireError(sent), 'flags/a/b/c')).toMatchObject({
      code: 'SYNTH_HCL_OUTPUT',
      kind: 'external',
      message: 'unset it',
    });
  });

  it('make a bug SYNTH_WORKER_FAILED naming the FLAG, with its stack', () => {
    const error = fromWireError(toWireError(new RangeError('out of range')), 'flags/a/b/c');
    expect(error).toMatchObject({ code: 'SYNTH_WORKER_FAILED', kind: 'external' });
    expect(error.message).toMatch(
      /^synthesizing flags\/a\/b\/c failed in its worker thread: RangeError: out of range\n\s+at /,
    );
  });
});
