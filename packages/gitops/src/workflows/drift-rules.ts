/**
 * What a job that writes drift issues (`kitt drift --plans`, holding `issues: write`) must keep, beside the rules
 * every workflow keeps: its workflow runs on schedule or workflow_dispatch only, the job only for main (`if:` on
 * `github.ref`), with no AWS credentials (no `id-token: write`: the plans are made by other jobs), a checkout of
 * main without `ref` or `repository`, and nothing run but `npm ci` and `kitt drift` (so a token that writes issues
 * runs no code beyond kitt's own from main).
 */
type Mapping = Readonly<Record<string, unknown>>;

export interface DriftJobView {
  readonly where: string;
  readonly body: Mapping;
  readonly runs: readonly string[];
  /** The `with:` of each actions/checkout step. */
  readonly checkouts: readonly Mapping[];
}

/** A step that writes drift issues (the matrix step, `kitt drift --matrix`, writes nothing). */
export const WRITES_DRIFT_ISSUES = /\bkitt drift\b(?![^\n]*--matrix)/;

const DRIFT_TRIGGERS = ['schedule', 'workflow_dispatch'];
const ON_MAIN = /\bgithub\.ref\s*==\s*'refs\/heads\/main'/;
/** The only commands such a job runs: install main's dependencies, make the download directory, run kitt drift. */
const ALLOWED_COMMAND = /^(?:npm ci(?: --[a-z-]+)*|mkdir -p "\$RUNNER_TEMP\/[\w/-]+"|npx kitt drift(?: .*)?)$/;

function asMapping(value: unknown): Mapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Mapping) : {};
}

/** The commands of a script: its lines without comments, blank lines and line continuations. */
function commandsOf(script: string): string[] {
  return script
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Where and why a job holding `issues: write` to run kitt drift breaks the drift rules. */
export function driftIssueProblems(
  triggers: readonly string[],
  jobs: readonly DriftJobView[],
): { where: string; message: string }[] {
  const found: { where: string; message: string }[] = [];
  const writers = jobs.filter(
    (job) => asMapping(job.body.permissions).issues === 'write' && job.runs.some((r) => WRITES_DRIFT_ISSUES.test(r)),
  );
  if (writers.length === 0) return [];
  const others = triggers.filter((t) => !DRIFT_TRIGGERS.includes(t));
  if (others.length > 0)
    found.push({ where: 'on', message: `drift issues are written on ${others.join(', ')}: only on schedule` });
  for (const job of writers) {
    if (!ON_MAIN.test(String(job.body.if ?? '')))
      found.push({ where: `${job.where}.if`, message: "runs on any branch: add github.ref == 'refs/heads/main'" });
    if (asMapping(job.body.permissions)['id-token'] === 'write')
      found.push({
        where: `${job.where}.permissions`,
        message: 'holds AWS credentials (id-token: write) beside issues: write: plan in another job',
      });
    for (const checkout of job.checkouts) {
      if (checkout.ref !== undefined || checkout.repository !== undefined)
        found.push({ where: job.where, message: 'checks out another ref or repository: main only' });
    }
    for (const command of job.runs.flatMap(commandsOf).filter((c) => !ALLOWED_COMMAND.test(c))) {
      found.push({
        where: job.where,
        message: `runs '${command.slice(0, 80)}' with issues: write: only npm ci and kitt drift`,
      });
    }
  }
  return found;
}
