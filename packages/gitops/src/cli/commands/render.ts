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
} from '../../plan';
import {
  planMetadata,
  renderJobSummary,
  renderNoPlanComment,
  renderPlanComment,
  splitRecordParts,
  withoutMetadata,
  type PlanMetadata,
} from '../../plan-markdown';
import { UsageError, type Command, type CommandContext, type ParsedArgs } from '../command';
import { readPlanFile } from './read-plan-file';
import { readUnchangedFlags } from './render-affected-file';
import { checkUntrustedFiles, untrustedResults } from './render-untrusted';

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

function parseMaxChars(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 2000 || n > 65536) {
    throw new UsageError(`--max-chars must be a whole number from 2000 to 65536, got '${value}'`, 'render');
  }
  return n;
}

/** What the record is about, from the options: `--head`, `--base`, `--run-id`. */
function commitOptions(values: ParsedArgs['values']): { headSha?: string; baseSha?: string; runId?: string } {
  return {
    ...(values.head !== undefined ? { headSha: values.head as string } : {}),
    ...(values.base !== undefined ? { baseSha: values.base as string } : {}),
    ...(values['run-id'] !== undefined ? { runId: values['run-id'] as string } : {}),
  };
}

/**
 * The record's metadata as JSON for the apply guard: every stack, even when the comment had room for only some
 * (it then says `truncated`); what the comment carries is always a part of this.
 */
async function writeMetadata(ctx: CommandContext, file: string, metadata: PlanMetadata): Promise<void> {
  const target = resolve(ctx.cwd, file);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, `${JSON.stringify(metadata, null, 2)}\n`);
}

/**
 * The job summary: to `--summary-out`, or appended to `$GITHUB_STEP_SUMMARY` when Actions sets it. It is the
 * record with room for far more details than a comment (the comment's pointers name it).
 */
async function writeJobSummary(ctx: CommandContext, file: string | undefined, render: () => string): Promise<void> {
  const target = file !== undefined ? resolve(ctx.cwd, file) : ctx.env['GITHUB_STEP_SUMMARY'] || undefined;
  if (target === undefined) return; // not rendered at all: a megabyte of details costs time
  const markdown = render();
  await mkdir(dirname(target), { recursive: true });
  if (file !== undefined) await writeFile(target, markdown);
  else await appendFile(target, markdown);
}

/** Checks that the files and `--empty` agree: files or `--empty`, never both, never neither. */
function checkInputs(values: ParsedArgs['values'], files: readonly string[]): boolean {
  const empty = values.empty === true;
  if (empty && files.length > 0) {
    throw new UsageError(
      `--empty renders the record of a change with no stack to plan: give it no files (got '${files[0]}')`,
      'render',
    );
  }
  if (!empty && files.length === 0) {
    throw new UsageError(
      'expected at least one summary.json or plan JSON file (or --empty when no stack needs a plan)',
      'render',
    );
  }
  if (!empty && values['affected-file'] !== undefined)
    throw new UsageError('--affected-file goes with --empty', 'render');
  return empty;
}

function located(given: string, ctx: CommandContext): { file: string; shown: string } {
  const file = isAbsolute(given) ? given : resolve(ctx.cwd, given);
  return { file, shown: relative(ctx.cwd, file) || given };
}

/** Reads every file; `untrusted`: after the size checks, and as summaries only (a raw plan is refused by kind). */
async function loadResults(
  files: readonly string[],
  ctx: CommandContext,
  untrusted: boolean,
): Promise<{ shown: string; result: StackResult }[]> {
  const where = files.map((given) => located(given, ctx));
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
async function renderEmpty(
  values: ParsedArgs['values'],
  ctx: CommandContext,
  maxChars: number | undefined,
): Promise<Rendered> {
  const given = values['affected-file'] as string | undefined;
  const file = given === undefined ? undefined : resolve(ctx.cwd, given);
  if (file !== undefined && values.untrusted === true) await checkUntrustedFiles([located(file, ctx)]);
  const unchangedFlags =
    file === undefined ? undefined : await readUnchangedFlags(file, relative(ctx.cwd, file) || (given as string));
  const record = { headSha: 'unknown', ...commitOptions(values), ...(unchangedFlags ? { unchangedFlags } : {}) };
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

export const renderCommand: Command = {
  name: 'render',
  usage: `Usage: kitt render <summary-or-plan.json>... [--max-chars N] [--out FILE] [--head SHA] [--base SHA] [--run-id ID]
       [--metadata-out FILE] [--summary-out FILE]
       kitt render --empty [--affected-file FILE] [--max-chars N] [--out FILE] [--head SHA] [--base SHA] [--run-id ID]

Reads each stack's summary.json (as kitt plan writes it) or raw
\`terraform show -json\` output, and writes the plan record as Markdown: a
warning block naming every destroy and replace, errors, every stack with its
status and counts (per FLAG for a few FLAGs; else one table of the stacks with
changes and one line per FLAG naming the rest), then each stack's changes
(sensitive values shown as (sensitive)). Each comment fits --max-chars,
folding details first; a record that still does not fit one comment is
written as parts, separated by hidden <!-- kitt:plan-part k/n --> lines, which
kitt comment posts as one comment each.
A raw plan's FLAG and stack come from its path, <out>/<flag-id>/<stack>/plan.json,
or from its file name, <stack>.json.

With --empty (and no files), writes the record of a change that needs no
plan: it says there is no stack to plan, carries the hidden metadata with
zero stacks (so kitt comment files it as the head's record and minimizes
older ones), and lists the FLAGs --affected-file found unchanged. Give it
--head: there are no summaries to take the commit from.

Options:
  --max-chars N  budget for each comment (each part), 2000 to 65536 (default 60000)
  --out FILE     write the Markdown here instead of stdout
  --metadata-out FILE
                 also write the record's machine-readable metadata (fingerprints,
                 config hashes, commits, run id) as JSON: the apply guard's artifact,
                 with every stack even when the comment has room for only some
  --summary-out FILE
                 write the job summary here: every stack, every destroy and
                 replace, and details up to 1,000,000 characters (default: appended
                 to $GITHUB_STEP_SUMMARY when that is set, else not written)
  --head SHA     PR head commit (default: from the summaries)
  --base SHA     PR base commit (default: from the summaries)
  --run-id ID    GitHub Actions run id holding the full plan (default: from the summaries)
  --empty        no files: the record of a change with no stack to plan
  --affected-file FILE
                 with --empty: \`kitt affected --json\` output, to list the FLAGs and
                 stacks found unchanged (refused if it lists stacks to plan)
  --untrusted    the files are another run's artifacts (the record workflow):
                 regular files only, each at most 32 MiB and 128 MiB together,
                 summary.json only, each for the --head commit (required); the
                 commits and run shown come from the options, never the files

Examples:
  kitt render out/*/*/summary.json --head "$HEAD_SHA" --out out/plan-comment.md
  kitt render --empty --affected-file affected.json --head "$HEAD_SHA" --out out/plan-comment.md
`,
  options: {
    'max-chars': { type: 'string' },
    out: { type: 'string' },
    head: { type: 'string' },
    base: { type: 'string' },
    'run-id': { type: 'string' },
    empty: { type: 'boolean' },
    'affected-file': { type: 'string' },
    'metadata-out': { type: 'string' },
    untrusted: { type: 'boolean' },
    'summary-out': { type: 'string' },
  },
  // No file is a usage error unless --empty is given: checked in run.
  positionals: { min: 0, max: Number.MAX_SAFE_INTEGER },
  async run({ values, positionals }, ctx) {
    const maxChars = parseMaxChars(values['max-chars'] as string | undefined);
    const empty = checkInputs(values, positionals);
    const untrusted = values.untrusted === true;
    if (untrusted && typeof values.head !== 'string') {
      throw new UsageError('--untrusted needs --head: the commit GitHub says was planned', 'render');
    }
    const loaded = empty ? [] : await loadResults(positionals, ctx, untrusted);
    const results = untrusted ? untrustedResults(loaded, values.head as string) : loaded.map((l) => l.result);
    const { markdown, metadata, summary } = empty
      ? await renderEmpty(values, ctx, maxChars)
      : renderRecord(buildPlanRecord(results, commitOptions(values)), maxChars);
    const metadataOut = values['metadata-out'] as string | undefined;
    if (metadataOut !== undefined) await writeMetadata(ctx, metadataOut, metadata);
    await writeJobSummary(ctx, values['summary-out'] as string | undefined, summary);
    const out = values.out as string | undefined;
    if (out === undefined) {
      ctx.stdout(markdown);
    } else {
      const target = resolve(ctx.cwd, out);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, markdown);
      const what = empty ? 'no stack to plan' : `${results.length} stack(s)`;
      const parts = splitRecordParts(markdown).length;
      const size = `${markdown.length} characters${parts > 1 ? ` in ${parts} comments` : ''}`;
      ctx.stderr(`✓ wrote ${relative(ctx.cwd, target) || out} (${size}, ${what})\n`);
    }
    return 0;
  },
};
