import { execFile } from 'node:child_process';
import * as path from 'node:path';
import type { ExecutorContext, TaskGraph } from '@nx/devkit';

/**
 * The FLAG projects' `synth` executor (`@kitt/flag-config:synth`). Each task
 * runs `kitt synth <flag-dir> --out <outDir>`; but Nx hands every FLAG task of
 * a run that its cache does not answer to `synthBatch` at once (`preferBatch`
 * in executors.json), which runs one `kitt synth` for all of them: one process
 * start and one cdktf load in place of one per FLAG, and kitt's worker threads
 * on every core. Nx still caches each FLAG's output on its own.
 */

export interface SynthExecutorOptions {
  /** Output root, workspace-relative, as `kitt synth --out`. @default 'cdktf.out' */
  readonly outDir?: string;
}

/** One `kitt synth` call of a batch: the FLAG directories it synthesizes, and the Nx task of each. */
export interface SynthCall {
  readonly outDir: string;
  readonly dirs: readonly string[];
  readonly taskIds: readonly string[];
}

/** What Nx expects back for each task of a batch. */
export interface TaskResult {
  readonly success: boolean;
  readonly terminalOutput: string;
}

/** What a `kitt` run printed and how it ended. */
export interface KittRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `kitt <args>` in the workspace; resolves with its exit code and output, never rejects on a non-zero exit. */
export type RunKitt = (root: string, args: readonly string[]) => Promise<KittRun>;

/** The batch's tasks grouped into one `kitt synth` call per output root, tasks in the order Nx gave them. */
export function synthCalls(
  tasks: readonly { readonly id: string; readonly projectRoot: string; readonly outDir: string }[],
): SynthCall[] {
  const calls = new Map<string, { dirs: string[]; taskIds: string[] }>();
  for (const task of tasks) {
    const call = calls.get(task.outDir) ?? { dirs: [], taskIds: [] };
    call.dirs.push(task.projectRoot);
    call.taskIds.push(task.id);
    calls.set(task.outDir, call);
  }
  return [...calls].map(([outDir, call]) => ({ outDir, ...call }));
}

/**
 * The part of `kitt synth`'s output about the FLAG in `dir`: from its
 * `✓ <dir> → ...` line to the next FLAG's (or the closing line).
 */
export function flagOutput(stdout: string, dir: string): string {
  const lines = stdout.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`✓ ${dir} → `));
  if (start < 0) return '';
  const end = lines.findIndex((line, index) => index > start && line.startsWith('✓ '));
  return `${lines.slice(start, end < 0 ? undefined : end).join('\n')}\n`;
}

/**
 * Synthesizes a batch: one `kitt synth` per output root. kitt writes nothing
 * when one FLAG fails; then each FLAG of that call is synthesized on its own,
 * so that every task gets its own result and error.
 */
export async function runSynthBatch(
  root: string,
  calls: readonly SynthCall[],
  runKitt: RunKitt,
): Promise<Record<string, TaskResult>> {
  const results: Record<string, TaskResult> = {};
  for (const call of calls) {
    const together = await runKitt(root, ['synth', ...call.dirs, '--out', call.outDir]);
    for (const [index, dir] of call.dirs.entries()) {
      const taskId = call.taskIds[index] ?? dir;
      if (together.code === 0) {
        results[taskId] = { success: true, terminalOutput: flagOutput(together.stdout, dir) };
        continue;
      }
      const alone = await runKitt(root, ['synth', dir, '--out', call.outDir]);
      results[taskId] = { success: alone.code === 0, terminalOutput: `${alone.stdout}${alone.stderr}` };
    }
  }
  return results;
}

/** Runs scripts/kitt.mjs of the workspace with this Node. */
export const runWorkspaceKitt: RunKitt = (root, args) =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(root, 'scripts', 'kitt.mjs'), ...args],
      { cwd: root, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });

/** The executor for one task (`nx run flag-<id>:synth` when Nx does not batch). */
export async function synthExecutor(
  options: SynthExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  const projectRoot = context.projectsConfigurations?.projects[context.projectName ?? '']?.root ?? '';
  const run = await runWorkspaceKitt(context.root, ['synth', projectRoot, '--out', options.outDir ?? 'cdktf.out']);
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  return { success: run.code === 0 };
}

/** The executor for a batch of tasks (Nx's `batchImplementation`). */
export async function synthBatch(
  taskGraph: TaskGraph,
  inputs: Record<string, SynthExecutorOptions>,
  _overrides: unknown,
  context: ExecutorContext,
): Promise<Record<string, TaskResult>> {
  const projects = context.projectsConfigurations?.projects ?? {};
  const tasks = Object.values(taskGraph.tasks).map((task) => ({
    id: task.id,
    projectRoot: projects[task.target.project]?.root ?? '',
    outDir: inputs[task.id]?.outDir ?? 'cdktf.out',
  }));
  return runSynthBatch(context.root, synthCalls(tasks), runWorkspaceKitt);
}
