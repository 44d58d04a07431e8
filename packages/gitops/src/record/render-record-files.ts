import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { InputError, splitStackName, type InputIssue } from '@kitt/flag-config';
import {
  PlanFormatError,
  buildPlanRecord,
  isStackResult,
  parseStackResult,
  stackResultFromPlan,
  type PlanMeta,
  type PlanRecord,
  type StackResult,
} from '../plan';
import {
  planMetadata,
  renderJobSummary,
  renderNoPlanComment,
  renderPlanComment,
  splitRecordParts,
  withoutMetadata,
  type PlanMetadata,
} from '../plan-markdown';
import { readPlanFile } from './read-plan-file';
import { readUnchangedFlags } from './affected-file';
import { checkUntrustedFiles, untrustedResults } from './untrusted-files';

/**
 * FLAG and stack of a raw plan JSON, from where the runner writes it (`<out>/<flag-id>/<stack>/plan.json`) or,
 * for any other name, from the file name (`<stack>.json`, `<stack>.plan.json`). Stack names say their layer
 * (`<flag-id>-flag`, `<flag-id>-cell-<name>`, `<flag-id>-addons-<name>`); a name that does not is taken as a flag
 * stack of a FLAG named like the file.
 */
export function planMetaFromPath(file: string): PlanMeta {
  const name = basename(file);
  const inStackDir = name === 'plan.json';
  const stack = inStackDir ? basename(dirname(file)) : name.replace(/(\.plan)?\.json$/i, '');
  const parsed = splitStackName(stack);
  const flagId = inStackDir ? basename(dirname(dirname(file))) : (parsed?.flagId ?? stack);
  return { flagId, stack, layer: parsed?.layer ?? 'flag' };
}

function issueOf(error: unknown, file: string): InputIssue | undefined {
  if (error instanceof PlanFormatError) {
    return {
      code: error.code,
      file,
      path: error.path,
      message: error.message,
      ...(error.received !== undefined ? { received: error.received } : {}),
      ...(error.expected !== undefined ? { expected: error.expected } : {}),
    };
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
    return {
      code: 'PLAN_FILE_UNREADABLE',
      file,
      path: '',
      message: `cannot read the file (${code})`,
      expected: 'a summary.json or plan.json file',
    };
  }
  return undefined;
}

async function loadStackResult(file: string): Promise<StackResult> {
  const json = await readPlanFile(file);
  return isStackResult(json) ? parseStackResult(json) : stackResultFromPlan(json, planMetaFromPath(file));
}

/**
 * The record's metadata as JSON for the apply guard: every stack, even when the comment had room for only some
 * (it then says `truncated`); what the comment carries is always a part of this.
 */
async function writeMetadata(cwd: string, file: string, metadata: PlanMetadata): Promise<void> {
  const target = resolve(cwd, file);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, `${JSON.stringify(metadata, null, 2)}\n`);
}

/**
 * The job summary: to `--summary-out`, or appended to `$GITHUB_STEP_SUMMARY` when Actions sets it. It is the
 * record with room for far more details than a comment (the comment's pointers name it).
 */
async function writeJobSummary(request: RenderRequest, render: () => string): Promise<void> {
  const file = request.summaryOut;
  const target = file !== undefined ? resolve(request.cwd, file) : request.env['GITHUB_STEP_SUMMARY'] || undefined;
  if (target === undefined) return; // not rendered at all: a megabyte of details costs time
  const markdown = render();
  await mkdir(dirname(target), { recursive: true });
  if (file !== undefined) await writeFile(target, markdown);
  else await appendFile(target, markdown);
}

function located(given: string, cwd: string): { file: string; shown: string } {
  const file = isAbsolute(given) ? given : resolve(cwd, given);
  return { file, shown: relative(cwd, file) || given };
}

/** Reads every file; `untrusted`: after the size checks, and as summaries only (a raw plan is refused by kind). */
async function loadResults(
  files: readonly string[],
  cwd: string,
  untrusted: boolean,
): Promise<{ shown: string; result: StackResult }[]> {
  const where = files.map((given) => located(given, cwd));
  if (untrusted) await checkUntrustedFiles(where);
  const results: { shown: string; result: StackResult }[] = [];
  const issues: InputIssue[] = [];
  for (const { file, shown } of where) {
    try {
      results.push({
        shown,
        result: untrusted ? parseStackResult(await readPlanFile(file)) : await loadStackResult(file),
      });
    } catch (error) {
      const issue = issueOf(error, shown);
      if (!issue) throw error;
      issues.push(issue);
    }
  }
  if (issues.length > 0) throw new InputError(issues);
  return results;
}

/** The record of a change with no stack to plan, listing what `--affected-file` found unchanged. */
async function renderEmpty(request: RenderRequest): Promise<Rendered> {
  const { cwd, affectedFile: given, maxChars } = request;
  const file = given === undefined ? undefined : resolve(cwd, given);
  if (file !== undefined && request.untrusted) await checkUntrustedFiles([located(file, cwd)]);
  const unchangedFlags =
    file === undefined || given === undefined
      ? undefined
      : await readUnchangedFlags(file, relative(cwd, file) || given);
  const record = { headSha: 'unknown', ...request.commits, ...(unchangedFlags ? { unchangedFlags } : {}) };
  const markdown = renderNoPlanComment(record, maxChars !== undefined ? { maxChars } : {});
  return { markdown, metadata: planMetadata({ ...record, stacks: [] }), summary: () => withoutMetadata(markdown) };
}

interface Rendered {
  /** The comment, or its parts (`joinRecordParts`). */
  readonly markdown: string;
  readonly metadata: PlanMetadata;
  /** The job summary, rendered only when it is written. */
  readonly summary: () => string;
}

function renderRecord(record: PlanRecord, maxChars: number | undefined): Rendered {
  return {
    markdown: renderPlanComment(record, maxChars !== undefined ? { maxChars } : {}),
    metadata: planMetadata(record),
    summary: () => renderJobSummary(record),
  };
}

type Env = Readonly<Record<string, string | undefined>>;

export interface RenderRequest {
  /** Where relative paths start (the repository root). */
  readonly cwd: string;
  readonly env: Env;
  /** `summary.json` or raw plan JSON files; none for the record of a change with no stack to plan. */
  readonly files: readonly string[];
  /** `kitt affected --json` output, for the record with no stack to plan: the FLAGs found unchanged. */
  readonly affectedFile?: string;
  /** The files are another run's artifacts: size-capped, summaries only, each for `commits.headSha`. */
  readonly untrusted: boolean;
  /** What the record is about; with `untrusted` the only source of commits and run shown. */
  readonly commits: { readonly headSha?: string; readonly baseSha?: string; readonly runId?: string };
  /** Budget of each comment. @default the renderer's */
  readonly maxChars?: number;
  /** Where the Markdown goes. @default returned only */
  readonly out?: string;
  readonly metadataOut?: string;
  /** Where the job summary goes. @default appended to `$GITHUB_STEP_SUMMARY` when set, else not rendered */
  readonly summaryOut?: string;
}

export interface RenderOutcome {
  /** The comment, or its parts. */
  readonly markdown: string;
  /** Stacks in the record; 0 for a change with no stack to plan. */
  readonly stacks: number;
  /** Comments the record takes. */
  readonly parts: number;
  /** Absolute path the Markdown was written to, with `out`. */
  readonly written?: string;
}

/**
 * `kitt render`: reads the stacks' results (checked as hostile when `untrusted`), renders the record, and writes
 * the Markdown, the complete metadata and the job summary. Bad files are reported together before anything is
 * written.
 */
export async function renderRecordFiles(request: RenderRequest): Promise<RenderOutcome> {
  const empty = request.files.length === 0;
  const loaded = empty ? [] : await loadResults(request.files, request.cwd, request.untrusted);
  const results = request.untrusted
    ? untrustedResults(loaded, request.commits.headSha as string)
    : loaded.map((l) => l.result);
  const { markdown, metadata, summary } = empty
    ? await renderEmpty(request)
    : renderRecord(buildPlanRecord(results, request.commits), request.maxChars);
  if (request.metadataOut !== undefined) await writeMetadata(request.cwd, request.metadataOut, metadata);
  await writeJobSummary(request, summary);
  let written: string | undefined;
  if (request.out !== undefined) {
    written = resolve(request.cwd, request.out);
    await mkdir(dirname(written), { recursive: true });
    await writeFile(written, markdown);
  }
  const parts = splitRecordParts(markdown).length;
  return { markdown, stacks: results.length, parts, ...(written !== undefined ? { written } : {}) };
}
