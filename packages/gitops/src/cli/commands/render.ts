import { relative } from 'node:path';
import { renderRecordFiles } from '../../record/render-record-files';
import { defineCommand, UsageError } from '../command';

const USAGE = `Usage: kitt render <summary-or-plan.json>... [--max-chars N] [--out FILE] [--head SHA] [--base SHA] [--run-id ID]
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
`;

function parseMaxChars(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 2000 || n > 65536) {
    throw new UsageError(`--max-chars must be a whole number from 2000 to 65536, got '${value}'`, 'render');
  }
  return n;
}

/** Checks that the files and `--empty` agree: files or `--empty`, never both, never neither. */
function checkInputs(values: { empty: boolean; 'affected-file'?: string }, files: readonly string[]): boolean {
  const { empty } = values;
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

export const renderCommand = defineCommand({
  name: 'render',
  usage: USAGE,
  options: {
    'max-chars': { type: 'string' },
    out: { type: 'string' },
    head: { type: 'string' },
    base: { type: 'string' },
    'run-id': { type: 'string' },
    empty: { type: 'boolean', default: false },
    'affected-file': { type: 'string' },
    'metadata-out': { type: 'string' },
    untrusted: { type: 'boolean', default: false },
    'summary-out': { type: 'string' },
  },
  // No file is a usage error unless --empty is given: checked in run.
  positionals: { min: 0, max: Number.MAX_SAFE_INTEGER },
  async run({ values, positionals }, ctx) {
    const maxChars = parseMaxChars(values['max-chars']);
    const empty = checkInputs(values, positionals);
    if (values.untrusted && values.head === undefined) {
      throw new UsageError('--untrusted needs --head: the commit GitHub says was planned', 'render');
    }
    const { head, base, out } = values;
    const outcome = await renderRecordFiles({
      cwd: ctx.cwd,
      env: ctx.env,
      files: empty ? [] : positionals,
      ...(values['affected-file'] !== undefined ? { affectedFile: values['affected-file'] } : {}),
      untrusted: values.untrusted,
      commits: {
        ...(head !== undefined ? { headSha: head } : {}),
        ...(base !== undefined ? { baseSha: base } : {}),
        ...(values['run-id'] !== undefined ? { runId: values['run-id'] } : {}),
      },
      ...(maxChars !== undefined ? { maxChars } : {}),
      ...(out !== undefined ? { out } : {}),
      ...(values['metadata-out'] !== undefined ? { metadataOut: values['metadata-out'] } : {}),
      ...(values['summary-out'] !== undefined ? { summaryOut: values['summary-out'] } : {}),
    });
    if (outcome.written === undefined) {
      ctx.stdout(outcome.markdown);
      return 0;
    }
    const what = empty ? 'no stack to plan' : `${outcome.stacks} stack(s)`;
    const size = `${outcome.markdown.length} characters${outcome.parts > 1 ? ` in ${outcome.parts} comments` : ''}`;
    ctx.stderr(`✓ wrote ${relative(ctx.cwd, outcome.written) || out} (${size}, ${what})\n`);
    return 0;
  },
});
