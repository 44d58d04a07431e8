/**
 * What a workflow that runs `kitt apply` must keep, beside the rules every workflow keeps: it runs on push to
 * main (and `workflow_dispatch`) only, never on a pull request event; each applying job runs in a GitHub
 * Environment (which the apply role's OIDC trust names), in a concurrency group per FLAG that is never cancelled
 * in progress, and takes its AWS credentials through OIDC.
 */
type Mapping = Readonly<Record<string, unknown>>;

export interface ApplyJobView {
  readonly where: string;
  readonly body: Mapping;
  readonly runs: readonly string[];
  readonly uses: readonly string[];
}

/** A step that applies (the matrix step, `kitt apply --matrix`, plans and applies nothing). */
export const APPLIES = /\bkitt apply\b(?![^\n]*--matrix)/;

const ALLOWED_TRIGGERS = ['push', 'workflow_dispatch'];

function asMapping(value: unknown): Mapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Mapping) : {};
}

/** Where and why the workflow breaks the apply rules (empty when it runs no `kitt apply`, or keeps them). */
export function applyProblems(
  workflow: Mapping,
  triggers: readonly string[],
  jobs: readonly ApplyJobView[],
): { where: string; message: string }[] {
  const applying = jobs.filter((job) => job.runs.some((run) => APPLIES.test(run)));
  if (applying.length === 0) return [];
  const found: { where: string; message: string }[] = [];
  const others = triggers.filter((t) => !ALLOWED_TRIGGERS.includes(t));
  if (others.length > 0)
    found.push({ where: 'on', message: `kitt apply runs on ${others.join(', ')}: only on push to main` });
  const on = asMapping(workflow.on ?? workflow.true);
  const branches = asMapping(on.push).branches;
  if (triggers.includes('push') && !(Array.isArray(branches) && branches.length === 1 && branches[0] === 'main')) {
    found.push({
      where: 'on.push',
      message: 'kitt apply runs on push to other branches than main: set branches: [main]',
    });
  }
  for (const job of applying) {
    if (typeof job.body.environment !== 'string' && typeof asMapping(job.body.environment).name !== 'string') {
      found.push({
        where: job.where,
        message: 'applies outside a GitHub Environment: set environment (the apply role trusts it)',
      });
    }
    const concurrency = asMapping(job.body.concurrency);
    if (!/\$\{\{\s*matrix\.name\s*\}\}/.test(String(concurrency.group ?? ''))) {
      found.push({
        where: `${job.where}.concurrency`,
        message: 'applies without a concurrency group per FLAG (matrix.name)',
      });
    }
    if (concurrency['cancel-in-progress'] !== false) {
      found.push({
        where: `${job.where}.concurrency`,
        message: 'set cancel-in-progress: false: an apply is never cancelled halfway',
      });
    }
    if (!job.uses.some((u) => u.toLowerCase().startsWith('aws-actions/configure-aws-credentials@'))) {
      found.push({
        where: job.where,
        message: 'applies without OIDC credentials (aws-actions/configure-aws-credentials)',
      });
    }
  }
  return found;
}
