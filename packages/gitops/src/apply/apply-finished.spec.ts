import { applyFinished, applyRecordMarker, NOT_APPLIED_RESULTS } from './apply-record';

const COMMIT = 'a'.repeat(40);
const FLAG = 'payments-prod-us-east-1';
const record = (result: Parameters<typeof applyRecordMarker>[1], flagId = FLAG, commit = COMMIT) =>
  `${applyRecordMarker({ commit, flagId }, result)}\n# Apply`;

describe('whether kitt’s apply records say a merge finished for a FLAG', () => {
  it('is not finished without a record', () => {
    expect(applyFinished(['a person’s comment', null], COMMIT, FLAG)).toBe(false);
  });

  it('is finished when the newest record applied or waits for approval', () => {
    expect(applyFinished([record('failed'), record('applied')], COMMIT, FLAG)).toBe(true);
    expect(applyFinished([record('waiting')], COMMIT, FLAG)).toBe(true);
  });

  it('is not finished when the newest record failed or was stopped', () => {
    expect(applyFinished([record('applied'), record('failed')], COMMIT, FLAG)).toBe(false);
    expect(applyFinished([record('stopped')], COMMIT, FLAG)).toBe(false);
  });

  it('ignores records of another FLAG or another commit, and counts a record for every FLAG', () => {
    expect(applyFinished([record('applied', 'search-prod-us-west-2')], COMMIT, FLAG)).toBe(false);
    expect(applyFinished([record('applied', FLAG, 'b'.repeat(40))], COMMIT, FLAG)).toBe(false);
    expect(applyFinished([`${applyRecordMarker({ commit: COMMIT }, 'applied')}\n# Apply`], COMMIT, FLAG)).toBe(true);
  });

  it('counts a refusal as finished for the catch-up, and as not applied for the drift report', () => {
    expect(applyFinished([record('refused')], COMMIT, FLAG)).toBe(true);
    expect(applyFinished([record('refused')], COMMIT, FLAG, NOT_APPLIED_RESULTS)).toBe(false);
  });
});
