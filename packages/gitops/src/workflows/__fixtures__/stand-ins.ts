/**
 * Stand-ins for the actions the workflows use, doing locally what matters to the steps after them: checkout moves
 * the workspace to the run's commit (a fresh runner has no files of an earlier job), configure-aws-credentials
 * requires the job's `id-token: write` and a role, and exports a region and dummy keys, the artifact actions copy
 * directories (`artifact-dirs.ts`); setup-node, setup-terraform and cache change nothing (node, terraform's
 * stand-in and the installed packages are already there). Any other action fails the step, loudly.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { downloadArtifacts, uploadArtifact } from './artifact-dirs';

export interface StandInContext {
  /** The step's `with:`, evaluated. */
  readonly with: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string>>;
  readonly workspace: string;
  readonly artifacts: string;
  readonly runId: number;
  /** `github.sha`: what checkout checks out without `ref`. */
  readonly sha: string;
  readonly jobPermissions: Readonly<Record<string, unknown>>;
  readonly commandFiles: { readonly GITHUB_ENV: string; readonly GITHUB_OUTPUT: string };
}

export interface StandInOutcome {
  readonly ok: boolean;
  readonly log: string;
  /** The role configure-aws-credentials assumed. */
  readonly role?: string;
}

const NO_OP = new Set(['actions/setup-node', 'hashicorp/setup-terraform', 'actions/cache']);

function failed(log: string): StandInOutcome {
  return { ok: false, log: `${log}\n` };
}

function checkout(ctx: StandInContext): StandInOutcome {
  const { ref, repository } = ctx.with;
  if (repository !== undefined && repository !== '')
    return failed(`checkout stand-in: only this repository, not '${repository}'`);
  const target = ref !== undefined && ref !== '' ? ref : ctx.sha;
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: ctx.workspace, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  git('checkout', '--quiet', '--force', '--detach', target);
  // A fresh runner: nothing an earlier job wrote, but the installed packages and kitt's build stay.
  git('clean', '-ffdxq', '-e', 'node_modules', '-e', 'dist');
  return { ok: true, log: `checked out ${target}\n` };
}

function configureAwsCredentials(ctx: StandInContext): StandInOutcome {
  if (ctx.jobPermissions['id-token'] !== 'write')
    return failed('Credentials could not be loaded: the job has no id-token: write permission (OIDC)');
  const role = ctx.with['role-to-assume'] ?? '';
  if (role === '') return failed('Credentials could not be loaded: role-to-assume is empty');
  const region = ctx.with['aws-region'] ?? '';
  if (region === '') return failed('Region is not valid');
  appendFileSync(
    ctx.commandFiles.GITHUB_ENV,
    [
      `AWS_REGION=${region}`,
      `AWS_DEFAULT_REGION=${region}`,
      'AWS_ACCESS_KEY_ID=ASIASTANDIN',
      'AWS_SECRET_ACCESS_KEY=stand-in',
      'AWS_SESSION_TOKEN=stand-in',
      '',
    ].join('\n'),
  );
  return { ok: true, log: `assumed ${role} in ${region}\n`, role };
}

function upload(ctx: StandInContext): StandInOutcome {
  const name = ctx.with.name || 'artifact';
  const result = uploadArtifact(ctx.artifacts, ctx.runId, name, ctx.with.path ?? '', ctx.workspace);
  if (result.files.length > 0) return { ok: true, log: `uploaded ${name}: ${result.files.join(', ')}\n` };
  const ifNone = ctx.with['if-no-files-found'] || 'warn';
  return ifNone === 'error'
    ? failed(`No files were found with the provided path: ${ctx.with.path}. No artifacts will be uploaded.`)
    : { ok: true, log: `no files for ${name}: nothing uploaded\n` };
}

function download(ctx: StandInContext): StandInOutcome {
  const runId = ctx.with['run-id'] ? Number(ctx.with['run-id']) : ctx.runId;
  if (runId !== ctx.runId && !ctx.with['github-token'])
    return failed("download-artifact: another run's artifacts need github-token");
  try {
    const names = downloadArtifacts(ctx.artifacts, {
      ...(ctx.with.name ? { name: ctx.with.name } : {}),
      ...(ctx.with.pattern ? { pattern: ctx.with.pattern } : {}),
      path: resolve(ctx.workspace, ctx.with.path || '.'),
      mergeMultiple: ctx.with['merge-multiple'] === 'true',
      runId,
    });
    return { ok: true, log: `downloaded ${names.join(', ') || 'nothing'}\n` };
  } catch (error) {
    return failed((error as Error).message);
  }
}

/** Runs the stand-in of `uses` (`owner/repo@sha`). */
export function standIn(uses: string, ctx: StandInContext): StandInOutcome {
  const action = uses.split('@')[0]?.toLowerCase() ?? '';
  if (NO_OP.has(action)) return { ok: true, log: `${action}: stood in for (nothing to do)\n` };
  switch (action) {
    case 'actions/checkout':
      return checkout(ctx);
    case 'aws-actions/configure-aws-credentials':
      return configureAwsCredentials(ctx);
    case 'actions/upload-artifact':
      return upload(ctx);
    case 'actions/download-artifact':
      return download(ctx);
    default:
      throw new Error(`no stand-in for the action ${uses}: add one to workflows/__fixtures__/stand-ins.ts`);
  }
}
