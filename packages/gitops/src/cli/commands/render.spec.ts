import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InputError } from '@kitt/flag-config';
import { stackResultFromPlan } from '../../plan';
import { readPlanMetadata, splitRecordParts } from '../../plan-markdown';
import { generatedRecord } from '../../plan/__fixtures__/generated-record';
import { fixturePlan } from '../../plan/__fixtures__/fixtures';
import { generatePlan } from '../../plan/__fixtures__/generate';
import { UsageError } from '../command';
import { runCommandIn, runKittIn } from '../__fixtures__/run-kitt';
import { planMetaFromPath } from '../../record/render-record-files';
import { renderCommand } from './render';

const FLAG = 'acme-prod-us-east-1';
const HEAD = '0123456789abcdef0123456789abcdef01234567';
const FIXTURES = resolve(__dirname, '../../plan/__fixtures__');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kitt-render-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** `kitt render`'s own run, so a spec can look at the error it throws; `runKittIn` when the edge matters. */
function render(args: string[], values: Record<string, string | boolean> = {}) {
  return runCommandIn(
    renderCommand,
    { values: { empty: false, untrusted: false, ...values }, positionals: args },
    { cwd: dir },
  );
}

function writeJson(relative: string, value: unknown): string {
  const file = join(dir, relative);
  mkdirSync(resolve(file, '..'), { recursive: true });
  writeFileSync(file, JSON.stringify(value));
  return relative;
}

async function inputError(args: string[]): Promise<InputError> {
  const error = await render(args).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('kitt render', () => {
  it('renders the summary.json files the runner writes into one record', async () => {
    const flag = stackResultFromPlan(
      fixturePlan('replace.plan.json'),
      { flagId: FLAG, stack: `${FLAG}-flag`, layer: 'flag' },
      { headSha: HEAD },
    );
    const cell = stackResultFromPlan(
      fixturePlan('lifecycle.plan.json'),
      { flagId: FLAG, stack: `${FLAG}-cell-a`, layer: 'cell' },
      { headSha: HEAD },
    );
    const a = writeJson(`out/${FLAG}/${FLAG}-flag/summary.json`, flag);
    const b = writeJson(`out/${FLAG}/${FLAG}-cell-a/summary.json`, cell);
    const { code, stdout } = await render([a, b]);
    expect(code).toBe(0);
    expect(stdout).toContain(`## FLAG <code>${FLAG}</code>\n\nPlan for head ${HEAD}`);
    expect(stdout).toContain(`| <code>${FLAG}-flag</code> | flag | 📝 changes | 3 | 0 | 5 | 3 |`);
    expect(stdout).toContain(`| <code>${FLAG}-cell-a</code> | cell | 📝 changes | 1 | 2 | 0 | 0 |`);
  });

  it('writes the metadata the comment carries to --metadata-out as JSON, for the apply guard', async () => {
    const flag = stackResultFromPlan(
      fixturePlan('replace.plan.json'),
      { flagId: FLAG, stack: `${FLAG}-flag`, layer: 'flag' },
      { headSha: HEAD, configHash: 'c'.repeat(64) },
    );
    const a = writeJson(`out/${FLAG}/${FLAG}-flag/summary.json`, flag);
    const { stdout } = await render([a], { 'metadata-out': 'out/plan-record.json', 'run-id': '42' });
    const metadata = JSON.parse(readFileSync(join(dir, 'out/plan-record.json'), 'utf8'));
    expect(metadata).toEqual(readPlanMetadata(stdout));
    expect(metadata).toMatchObject({
      headSha: HEAD,
      runId: '42',
      stacks: [{ stack: `${FLAG}-flag`, fingerprint: flag.fingerprint, configHash: 'c'.repeat(64) }],
    });
  });

  it("takes a raw plan's FLAG and stack from <out>/<flag-id>/<stack>/plan.json", async () => {
    const file = writeJson(`out/${FLAG}/${FLAG}-addons-a/plan.json`, fixturePlan('replace.plan.json'));
    const { stdout } = await render([file]);
    expect(stdout).toContain(`## FLAG <code>${FLAG}</code>`);
    expect(stdout).toContain(`| <code>${FLAG}-addons-a</code> | addons | 📝 changes |`);
  });

  it('reads a UTF-16 plan written with a byte order mark', async () => {
    copyFileSync(join(FIXTURES, 'replace.utf16le-bom.plan.json'), join(dir, `${FLAG}-flag.json`));
    const { stdout } = await render([`${FLAG}-flag.json`]);
    expect(stdout).toContain(`| <code>${FLAG}-flag</code> | flag | 📝 changes | 3 | 0 | 5 | 3 |`);
  });

  it('writes to --out with the commits and run given as options, and says what it wrote', async () => {
    const file = writeJson(`${FLAG}-flag.json`, fixturePlan('replace.plan.json'));
    const { stdout, stderr } = await render([file], {
      out: 'out/plan-comment.md',
      head: HEAD,
      base: 'b'.repeat(40),
      'run-id': '77',
    });
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^✓ wrote out\/plan-comment\.md \(\d+ characters, 1 stack\(s\)\)\n$/);
    const md = readFileSync(join(dir, 'out/plan-comment.md'), 'utf8');
    expect(md).toContain(`Plan for head ${HEAD} · base ${'b'.repeat(40)}`);
    expect(md).toContain('"runId":"77"');
  });

  it('keeps the comment within --max-chars', async () => {
    const file = writeJson(`${FLAG}-flag.json`, generatePlan({ changes: 2_000, destructive: 10 }));
    const { stdout } = await render([file], { 'max-chars': '5000' });
    expect(stdout.length).toBeLessThanOrEqual(5000);
    expect(stdout).toContain('> [!CAUTION]');
  });

  it('treats a --max-chars outside 2000 to 65536 as a usage error', async () => {
    await expect(render(['x.json'], { 'max-chars': '70000' })).rejects.toThrow(UsageError);
    await expect(render(['x.json'], { 'max-chars': 'lots' })).rejects.toThrow(UsageError);
  });

  it('reports every bad file at once, each with its code, file and field', async () => {
    writeFileSync(join(dir, 'broken.json'), '{"format_version": ');
    const future = writeJson('future.json', fixturePlan('future-major.plan.json'));
    const badSummary = writeJson('summary.json', {
      kind: 'kitt-stack-result',
      version: 1,
      flagId: FLAG,
      stack: 's',
      layer: 'cell',
      status: 'maybe',
    });
    const error = await inputError(['missing.json', 'broken.json', future, badSummary]);
    expect(error.issues.map((i) => [i.code, i.file, i.path])).toEqual([
      ['PLAN_FILE_UNREADABLE', 'missing.json', ''],
      ['PLAN_NOT_JSON', 'broken.json', ''],
      ['PLAN_FORMAT_VERSION_UNSUPPORTED', 'future.json', 'format_version'],
      ['STACK_RESULT_INVALID', 'summary.json', 'status'],
    ]);
    expect(error.issues[3]).toMatchObject({
      received: 'maybe',
      expected: 'one of changes, no-changes, unchanged-config, waits, preview, error',
    });
  });

  it('refuses a summary.json whose summary is malformed, naming the field', async () => {
    const result = stackResultFromPlan(fixturePlan('replace.plan.json'), {
      flagId: FLAG,
      stack: `${FLAG}-flag`,
      layer: 'flag',
    });
    const broken = {
      ...result,
      summary: {
        ...result.summary,
        resources: [{ address: 'a.b', action: 'explode', replacePaths: [], attributes: [] }],
      },
    };
    const error = await inputError([writeJson('summary.json', broken)]);
    expect(error.issues[0]).toMatchObject({
      code: 'STACK_RESULT_INVALID',
      path: 'summary.resources[0].action',
      received: 'explode',
    });
  });
});

describe('kitt render of a record too big for one comment', () => {
  /** The stacks of a generated record, as the runner writes them. */
  function writeSummaries(stacks: number): { files: string[]; names: string[]; destroyed: string } {
    const { record, destroyed } = generatedRecord({ stacks });
    const files = record.stacks.map((s) =>
      writeJson(`out/${s.flagId}/${s.stack}/summary.json`, { kind: 'kitt-stack-result', version: 1, ...s }),
    );
    return { files, names: record.stacks.map((s) => s.stack), destroyed: destroyed.address };
  }

  it('writes one file of parts separated by hidden markers, each within a comment, and says how many', async () => {
    const { files, names } = writeSummaries(250);
    const { stderr } = await render(files, { out: 'out/plan-comment.md', head: HEAD, 'max-chars': '20000' });
    const md = readFileSync(join(dir, 'out/plan-comment.md'), 'utf8');
    const parts = splitRecordParts(md);
    expect(parts.length).toBeGreaterThan(1);
    expect(md.startsWith(`<!-- kitt:plan-part 1/${parts.length} -->\n# Plan: `)).toBe(true);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(20_000);
    for (const name of names) expect(md).toContain(name);
    expect(stderr).toContain(`characters in ${parts.length} comments, 250 stack(s))`);
  });

  it('writes every stack to --metadata-out even when the comment has room for only some', async () => {
    const { files, names } = writeSummaries(250);
    const { stdout } = await render(files, { 'metadata-out': 'out/plan-record.json', head: HEAD });
    const metadata = JSON.parse(readFileSync(join(dir, 'out/plan-record.json'), 'utf8'));
    expect(metadata.stacks.map((s: { stack: string }) => s.stack)).toEqual(names);
    expect(metadata.truncated).toBeUndefined();
    const carried = readPlanMetadata(stdout);
    expect(carried?.truncated).toBe(true);
    for (const s of carried?.stacks ?? []) expect(metadata.stacks).toContainEqual(s);
  });

  it('writes the job summary to --summary-out: every stack and every destroy, no hidden metadata', async () => {
    const { files, names, destroyed } = writeSummaries(250);
    await render(files, { 'summary-out': 'out/job-summary.md', head: HEAD, 'run-id': '77' });
    const summary = readFileSync(join(dir, 'out/job-summary.md'), 'utf8');
    for (const name of names) expect(summary).toContain(name);
    expect(summary).toContain(`**destroy** <code>${destroyed}</code>`);
    expect(summary).not.toContain('kitt:plan-metadata');
  });

  it('appends the job summary to GITHUB_STEP_SUMMARY when Actions sets it', async () => {
    const a = writeJson(`out/${FLAG}/${FLAG}-flag/summary.json`, {
      ...stackResultFromPlan(fixturePlan('replace.plan.json'), { flagId: FLAG, stack: `${FLAG}-flag`, layer: 'flag' }),
    });
    const stepSummary = join(dir, 'step-summary.md');
    writeFileSync(stepSummary, '# Earlier step\n');
    await runKittIn(['render', '--head', HEAD, a], { cwd: dir, env: { GITHUB_STEP_SUMMARY: stepSummary } });
    const written = readFileSync(stepSummary, 'utf8');
    expect(written.startsWith('# Earlier step\n# Plan: 3 to add, 0 to change, 5 to destroy\n')).toBe(true);
    expect(written).toContain('<details><summary>');
    expect(written).not.toContain('kitt:plan-metadata');
  });
});

describe('kitt render --empty', () => {
  const BASE = 'b'.repeat(40);
  /** `kitt affected --json` output for a change that needs no plan. */
  const report = (extra: Record<string, unknown> = {}) => ({
    base: BASE,
    head: HEAD,
    detector: 'nx',
    flags: [FLAG],
    stacks: [],
    unchanged: [
      { flag: FLAG, stack: `${FLAG}-flag`, layer: 'flag', reason: 'unchanged' },
      { flag: FLAG, stack: `${FLAG}-cell-a`, layer: 'cell', reason: 'unchanged' },
    ],
    matrix: { include: [] },
    warnings: [],
    ...extra,
  });

  it('writes the record of a change with no stack to plan, with metadata of zero stacks for the head', async () => {
    const { code, stdout } = await render([], { empty: true, head: HEAD, base: BASE, 'run-id': '77' });
    expect(code).toBe(0);
    expect(stdout).toContain("**No stack to plan: this change touches no FLAG's synthesized configuration.**");
    expect(readPlanMetadata(stdout)).toEqual({ version: 1, headSha: HEAD, baseSha: BASE, runId: '77', stacks: [] });
  });

  it('lists the FLAGs and stacks that --affected-file found unchanged', async () => {
    const file = writeJson('affected.json', report());
    const { stdout } = await render([], { empty: true, 'affected-file': file, head: HEAD });
    expect(stdout).toContain(`| <code>${FLAG}</code> | <code>${FLAG}-flag</code>, <code>${FLAG}-cell-a</code> |`);
  });

  it('writes to --out and says it wrote a record with no stack to plan', async () => {
    const { stderr } = await render([], { empty: true, head: HEAD, out: 'out/plan-comment.md' });
    expect(stderr).toMatch(/^✓ wrote out\/plan-comment\.md \(\d+ characters, no stack to plan\)\n$/);
    expect(readFileSync(join(dir, 'out/plan-comment.md'), 'utf8')).toContain('# Plan: no stack to plan');
  });

  it('refuses an --affected-file that lists stacks to plan', async () => {
    const file = writeJson(
      'affected.json',
      report({ stacks: [{ flag: FLAG, stack: `${FLAG}-flag`, reason: 'config-changed' }] }),
    );
    const error = await render([], { empty: true, 'affected-file': file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues).toEqual([
      expect.objectContaining({
        code: 'AFFECTED_HAS_STACKS',
        file: 'affected.json',
        path: 'stacks',
        received: [`${FLAG}-flag`],
      }),
    ]);
  });

  it('names the field of an --affected-file that is not a kitt affected report', async () => {
    const file = writeJson('affected.json', report({ flags: 'all', unchanged: [{ flag: FLAG }] }));
    const error = await render([], { empty: true, 'affected-file': file }).catch((e: unknown) => e);
    expect((error as InputError).issues.map((i) => [i.code, i.path])).toEqual([
      ['AFFECTED_FILE_INVALID', 'flags'],
      ['AFFECTED_FILE_INVALID', 'unchanged[0]'],
    ]);
  });

  it('reports an --affected-file it cannot read', async () => {
    const error = await render([], { empty: true, 'affected-file': 'missing.json' }).catch((e: unknown) => e);
    expect((error as InputError).issues[0]).toMatchObject({ code: 'AFFECTED_FILE_UNREADABLE', file: 'missing.json' });
  });

  it('is reached from the command line: kitt render --empty exits 0, kitt render with nothing exits 2', async () => {
    const run = async (argv: string[]) => {
      const { code, stdout, stderr } = await runKittIn(argv, { cwd: dir });
      return { code, out: stdout + stderr };
    };
    const empty = await run(['render', '--empty', '--head', HEAD]);
    expect(empty.code).toBe(0);
    expect(readPlanMetadata(empty.out)).toMatchObject({ headSha: HEAD, stacks: [] });
    const nothing = await run(['render']);
    expect(nothing.code).toBe(2);
    expect(nothing.out).toContain('--empty when no stack needs a plan');
  });

  it('treats no file without --empty, files with --empty, and --affected-file without --empty as usage errors', async () => {
    await expect(render([])).rejects.toThrow(UsageError);
    await expect(render(['x.json'], { empty: true })).rejects.toThrow(UsageError);
    await expect(render(['x.json'], { 'affected-file': 'affected.json' })).rejects.toThrow(UsageError);
  });
});

describe('planMetaFromPath', () => {
  it("reads FLAG and stack from the runner's layout", () => {
    expect(planMetaFromPath(`/o/${FLAG}/${FLAG}-cell-blue/plan.json`)).toEqual({
      flagId: FLAG,
      stack: `${FLAG}-cell-blue`,
      layer: 'cell',
    });
  });

  it('reads the stack from a file name and the FLAG from the stack name', () => {
    expect(planMetaFromPath(`plans/${FLAG}-addons-a.plan.json`)).toEqual({
      flagId: FLAG,
      stack: `${FLAG}-addons-a`,
      layer: 'addons',
    });
    expect(planMetaFromPath(`${FLAG}-flag.json`)).toEqual({ flagId: FLAG, stack: `${FLAG}-flag`, layer: 'flag' });
  });

  it('takes a name that is not a stack name as a flag stack of a FLAG named like it', () => {
    expect(planMetaFromPath('borchero-empty.json')).toEqual({
      flagId: 'borchero-empty',
      stack: 'borchero-empty',
      layer: 'flag',
    });
  });
});

describe('kitt render --untrusted (artifacts of another run)', () => {
  const DIAGRAM = {
    mermaid: 'flowchart TB\n  vpc["VPC 10.0.0.0/16<br/>single-az"]\n',
    capacityTable: '_No cells yet: no capacity to report._\n',
  };
  const summary = (extra: Record<string, unknown> = {}) => ({
    ...stackResultFromPlan(
      fixturePlan('replace.plan.json'),
      { flagId: FLAG, stack: `${FLAG}-flag`, layer: 'flag' },
      { headSha: HEAD },
    ),
    ...extra,
  });
  const untrusted = (args: string[], values: Record<string, string | boolean> = {}) =>
    render(args, { untrusted: true, head: HEAD, out: 'record.md', ...values });
  const issuesOf = async (args: string[], values: Record<string, string | boolean> = {}) => {
    const error = await untrusted(args, values).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).issues;
  };

  it('renders summaries of the head it is given', async () => {
    const file = writeJson('artifacts/summary.json', summary({ networkDiagram: DIAGRAM }));
    expect((await untrusted([file])).code).toBe(0);
    expect(readFileSync(join(dir, 'record.md'), 'utf8')).toContain('flowchart TB');
  });

  it('refuses a crafted network diagram with a mention, HTML and a closing fence, and writes nothing', async () => {
    const crafted = `${DIAGRAM.capacityTable}\`\`\`\n@org/team please approve <img src=x>\n`;
    const file = writeJson(
      'artifacts/summary.json',
      summary({ networkDiagram: { ...DIAGRAM, capacityTable: crafted } }),
    );
    expect(await issuesOf([file])).toEqual([
      expect.objectContaining({
        code: 'STACK_RESULT_INVALID',
        file: 'artifacts/summary.json',
        path: 'networkDiagram.capacityTable',
      }),
    ]);
    expect(() => readFileSync(join(dir, 'record.md'))).toThrow();
  });

  it('refuses a raw plan: only summaries are rendered from artifacts', async () => {
    const file = writeJson('artifacts/plan.json', fixturePlan('replace.plan.json'));
    expect(await issuesOf([file])).toEqual([expect.objectContaining({ code: 'STACK_RESULT_INVALID', path: 'kind' })]);
  });

  it('refuses a summary of another head', async () => {
    const file = writeJson('artifacts/summary.json', summary({ headSha: 'f'.repeat(40) }));
    expect(await issuesOf([file])).toEqual([
      expect.objectContaining({ code: 'STACK_RESULT_HEAD_MISMATCH', path: 'headSha', expected: HEAD }),
    ]);
  });

  it('refuses a fingerprint or config hash that is not a SHA-256', async () => {
    const file = writeJson(
      'artifacts/summary.json',
      summary({ fingerprint: '-->@org/team', configHash: 'C'.repeat(64) }),
    );
    expect(await issuesOf([file])).toEqual([
      expect.objectContaining({ code: 'STACK_RESULT_INVALID', path: 'fingerprint' }),
      expect.objectContaining({ code: 'STACK_RESULT_INVALID', path: 'configHash' }),
    ]);
  });

  it('shows the commits and run of the options, never those a summary claims', async () => {
    const file = writeJson('artifacts/summary.json', summary({ baseSha: 'e'.repeat(40), runId: '666' }));
    expect((await untrusted([file], { 'run-id': '42', 'metadata-out': 'meta.json' })).code).toBe(0);
    const metadata = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
    expect(metadata).toMatchObject({ headSha: HEAD, runId: '42' });
    expect(metadata.baseSha).toBeUndefined();
    expect(readFileSync(join(dir, 'record.md'), 'utf8')).not.toContain('666');
  });

  it('refuses a file over the size cap before reading it', async () => {
    const file = join(dir, 'artifacts/summary.json');
    mkdirSync(join(dir, 'artifacts'), { recursive: true });
    writeFileSync(file, '');
    truncateSync(file, 33 * 1024 * 1024); // sparse: no 33 MB written
    expect(await issuesOf(['artifacts/summary.json'])).toEqual([
      expect.objectContaining({ code: 'ARTIFACT_TOO_LARGE', file: 'artifacts/summary.json' }),
    ]);
  });

  it('refuses a symbolic link', async () => {
    writeJson('elsewhere/summary.json', summary());
    mkdirSync(join(dir, 'artifacts'));
    symlinkSync(join(dir, 'elsewhere/summary.json'), join(dir, 'artifacts/summary.json'));
    expect(await issuesOf(['artifacts/summary.json'])).toEqual([
      expect.objectContaining({ code: 'ARTIFACT_NOT_A_FILE', message: expect.stringContaining('symbolic link') }),
    ]);
  });

  it('caps the affected file of an empty record too', async () => {
    const file = join(dir, 'affected.json');
    writeFileSync(file, '');
    truncateSync(file, 33 * 1024 * 1024);
    const error = await untrusted([], { empty: true, 'affected-file': 'affected.json' }).catch((e: unknown) => e);
    expect((error as InputError).issues).toEqual([expect.objectContaining({ code: 'ARTIFACT_TOO_LARGE' })]);
  });

  it('takes every argument after -- as a file, even one that looks like an option', async () => {
    const file = writeJson('artifacts/--out=evil.md/summary.json', summary());
    const run = await runKittIn(['render', '--untrusted', '--head', HEAD, '--out', 'record.md', '--', file], {
      cwd: dir,
    });
    expect({ code: run.code, out: run.stdout + run.stderr }).toMatchObject({
      code: 0,
      out: expect.stringContaining('wrote record.md'),
    });
  });

  it('is a usage error without --head', async () => {
    const file = writeJson('artifacts/summary.json', summary());
    await expect(render([file], { untrusted: true })).rejects.toThrow(
      new UsageError('--untrusted needs --head: the commit GitHub says was planned', 'render'),
    );
  });
});
