import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { InputError, KittError, type FailureKind, type InputIssue } from '@kitt/flag-config';

/** Worker threads per synthesis at most: each holds cdktf and an App (about 100 MB), whatever the core count. */
export const MAX_SYNTH_WORKERS = 8;

/** One worker thread per core, at most MAX_SYNTH_WORKERS. */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(availableParallelism(), MAX_SYNTH_WORKERS));
}

/** A task as posted to a worker: `index` comes back with its answer. */
export interface PoolTask {
  readonly index: number;
  /** Names the task in an error (a FLAG directory). */
  readonly label: string;
}

/** A worker's answer: the value, or the error as plain data (classes do not cross threads). */
export type PoolReply<R> =
  | { readonly index: number; readonly value: R }
  | { readonly index: number; readonly error: WireError };

/** An error as it crosses from a worker: a `KittError`'s code, kind and issues, or a bug's message and stack. */
export interface WireError {
  readonly code?: string;
  readonly kind?: FailureKind;
  readonly issues?: readonly InputIssue[];
  readonly message: string;
  readonly stack?: string;
}

export function toWireError(error: unknown): WireError {
  if (error instanceof KittError) {
    return { code: error.code, kind: error.kind, issues: error.issues, message: error.message };
  }
  const { message, stack } = error instanceof Error ? error : { message: String(error), stack: undefined };
  return { message, ...(stack === undefined ? {} : { stack }) };
}

/**
 * The error a worker's failure of `label` is raised as in the main thread: an
 * input problem stays an `InputError` (its issues name the file and field), a
 * `KittError` keeps its code; anything else, or a worker that died, is
 * SYNTH_WORKER_FAILED naming the task, with the bug's stack.
 */
export function fromWireError(error: WireError, label: string): KittError {
  if (error.code === 'INPUT_INVALID' && error.issues && error.issues.length > 0) return new InputError(error.issues);
  if (error.code !== undefined && error.kind !== undefined) {
    return new KittError({ code: error.code, kind: error.kind, message: error.message, issues: error.issues ?? [] });
  }
  return new KittError({
    code: 'SYNTH_WORKER_FAILED',
    kind: 'external',
    message: `synthesizing ${label} failed in its worker thread: ${error.stack ?? error.message}`,
  });
}

export interface PoolOptions {
  /**
   * Absolute path of the module each worker runs (`.js`, or `.ts` through tsx
   * when kitt runs its sources). It exports `runWorker(port)`, which answers
   * each task posted to `port` with a `PoolReply`.
   */
  readonly module: string;
  /** Worker threads; never more than tasks. */
  readonly size: number;
}

/**
 * Runs `tasks` on `size` worker threads, each task posted to the next free
 * worker, and resolves with the values in task order. The first failure
 * (a task's error, or a worker that dies) stops the pool: no further task
 * starts, every worker is terminated, and the promise rejects with that
 * task's error (`fromWireError`).
 */
export async function runInWorkers<T extends PoolTask, R>(tasks: readonly T[], options: PoolOptions): Promise<R[]> {
  if (tasks.length === 0) return [];
  const values: R[] = new Array(tasks.length);
  const size = Math.max(1, Math.min(options.size, tasks.length));
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  return new Promise<R[]>((resolve, reject) => {
    let failed = false;
    const fail = (error: KittError) => {
      if (failed) return;
      failed = true;
      for (const worker of workers) void worker.terminate();
      reject(error);
    };
    const start = () => {
      const worker = new Worker(bootstrapSource(options.module), { eval: true });
      workers.push(worker);
      let current: T | undefined;
      const post = () => {
        current = tasks[next];
        if (current === undefined) {
          void worker.terminate();
          return;
        }
        next += 1;
        worker.postMessage(current);
      };
      worker.on('message', (reply: PoolReply<R>) => {
        const task = tasks[reply.index];
        if (failed || task === undefined) return;
        if ('error' in reply) return fail(fromWireError(reply.error, task.label));
        values[reply.index] = reply.value;
        current = undefined;
        done += 1;
        if (done === tasks.length) {
          for (const w of workers) void w.terminate();
          resolve(values);
        } else post();
      });
      worker.on('error', (error) => fail(fromWireError(toWireError(error), current?.label ?? 'a FLAG')));
      worker.on('exit', (code) => {
        if (current !== undefined && !failed) {
          fail(fromWireError({ message: `the worker thread exited with code ${code}` }, current.label));
        }
      });
      post();
    };
    for (let n = 0; n < size; n += 1) start();
  });
}

/**
 * A worker's first lines: compiled kitt loads the `.js` module; kitt running its
 * TypeScript sources (tests, or no build) registers tsx in the thread first.
 */
function bootstrapSource(module: string): string {
  const load = `require(${JSON.stringify(module)}).runWorker(require('node:worker_threads').parentPort);`;
  if (!module.endsWith('.ts')) return load;
  return `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();${load}`;
}

/** The environment variable that sets the worker threads of a synthesis (`kitt affected` gives each side its share). */
export const SYNTH_WORKERS_ENV = 'KITT_SYNTH_WORKERS';

/** Worker threads as `KITT_SYNTH_WORKERS` asks (a whole number from 1), or undefined for the default. */
export function workerCountOf(env: Readonly<Record<string, string | undefined>>): number | undefined {
  const value = env[SYNTH_WORKERS_ENV];
  if (value === undefined || value === '') return undefined;
  if (!/^[1-9][0-9]{0,3}$/.test(value)) {
    throw new KittError({
      code: 'SYNTH_WORKERS_INVALID',
      kind: 'input',
      message: `${SYNTH_WORKERS_ENV}=${JSON.stringify(value.slice(0, 40))} is not a number of worker threads: give a whole number from 1 (1 synthesizes in one thread), or unset it for one per core.`,
    });
  }
  return Number(value);
}
