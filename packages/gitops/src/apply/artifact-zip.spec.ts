import { strToU8, zipSync } from 'fflate';
import { applyRecordsInZip, ArtifactReadError, ARTIFACT_LIMITS, summariesInZip } from './artifact-zip';

const SUMMARY = {
  kind: 'kitt-stack-result',
  version: 1,
  flagId: 'payments-dev-eu-west-2',
  stack: 'payments-dev-eu-west-2-flag',
  layer: 'flag',
  status: 'no-changes',
};

const zip = (files: Record<string, string>) =>
  zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)])));

it('reads every summary.json of the archive and leaves other files alone', () => {
  const archive = zip({
    'payments-dev-eu-west-2/payments-dev-eu-west-2-flag/summary.json': JSON.stringify(SUMMARY),
    'notes.txt': 'not a summary',
  });
  expect(summariesInZip(archive)).toEqual([SUMMARY]);
});

it('refuses bytes that are not a zip archive', () => {
  expect(() => summariesInZip(strToU8('<html>not found</html>'))).toThrow(ArtifactReadError);
});

it('refuses a summary that is not JSON, or not a stack summary, naming it', () => {
  expect(() => summariesInZip(zip({ 'a/summary.json': '{' }))).toThrow('a/summary.json is not JSON');
  expect(() => summariesInZip(zip({ 'a/summary.json': JSON.stringify({ ...SUMMARY, status: 'applied' }) }))).toThrow(
    /a\/summary\.json is not a stack summary/,
  );
});

it('refuses a summary larger than kitt reads before inflating it', () => {
  const big = zipSync({ 'summary.json': new Uint8Array(ARTIFACT_LIMITS.summaryBytes + 1) });
  expect(() => summariesInZip(big)).toThrow(/summary\.json is \d+ bytes/);
});

it('reads no more of an entry than it declares (a lying size gives a cut, unreadable file)', () => {
  const archive = Buffer.from(zip({ 'summary.json': JSON.stringify(SUMMARY) }));
  const central = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  archive.writeUInt32LE(10, central + 24);
  archive.writeUInt32LE(10, archive.indexOf(Buffer.from([0x50, 0x4b, 0x03, 0x04])) + 22);
  expect(() => summariesInZip(archive)).toThrow('summary.json is not JSON');
});

describe('an apply run’s apply-record artifact', () => {
  it('gives the stack records kitt wrote, and leaves anything else out', () => {
    const record = {
      kind: 'kitt-apply-record',
      stack: 'payments-dev-eu-west-2-cell-a1',
      commit: 'a'.repeat(40),
      outcome: 'needs-approval',
      plannedFingerprint: 'f'.repeat(64),
    };
    const archive = zip({
      'payments-dev-eu-west-2-cell-a1.json': JSON.stringify(record),
      'other.json': JSON.stringify({ kind: 'something-else', stack: 'x', commit: 'y', outcome: 'applied' }),
      'broken.json': '{',
      'notes.txt': 'no',
    });
    expect(applyRecordsInZip(archive)).toEqual([
      { stack: record.stack, commit: record.commit, outcome: 'needs-approval', plannedFingerprint: 'f'.repeat(64) },
    ]);
  });

  it('refuses what is no zip archive', () => {
    expect(() => applyRecordsInZip(strToU8('not a zip'))).toThrow(ArtifactReadError);
  });
});
