// Running and timing benchmarked commands. A command that fails is an error
// (the bench exits non-zero); a slow one is only a figure.
import { performance } from 'node:perf_hooks';
import { $, fs, path, tmpdir } from 'zx';

const RSS_PRELOAD = path.join(import.meta.dirname, 'max-rss.cjs');

/** A benchmarked command exited non-zero: its output tail says why. */
export class BenchCommandError extends Error {}

/**
 * Runs `args` (an argv array) in `cwd`; resolves with its output and wall time in
 * milliseconds, and with `rssKiB`, the peak RSS of the largest Node process it ran,
 * when `rss` is set. Rejects with BenchCommandError when it exits non-zero.
 */
export async function runTimed(args, { cwd, env = {}, rss = false } = {}) {
  const rssFile = rss ? path.join(tmpdir(), 'rss.txt') : undefined;
  const childEnv = { ...process.env, ...env };
  if (rssFile) {
    childEnv.KITT_BENCH_RSS_FILE = rssFile;
    childEnv.NODE_OPTIONS = [process.env.NODE_OPTIONS, `--require=${RSS_PRELOAD}`].filter(Boolean).join(' ');
  }
  const started = performance.now();
  const result = await $({ cwd, env: childEnv, quiet: true, nothrow: true })`${args}`;
  const ms = performance.now() - started;
  if (result.exitCode !== 0) {
    const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-15).join('\n');
    throw new BenchCommandError(`'${args.join(' ')}' (in ${cwd}) exited ${result.exitCode}:\n${tail}`);
  }
  return { ms, stdout: result.stdout, stderr: result.stderr, rssKiB: rssFile ? await peakRss(rssFile) : undefined };
}

/** Runs the same command `times` times; the median wall time and the highest peak RSS. */
export async function runRepeated(times, args, options) {
  const runs = [];
  for (let n = 0; n < times; n += 1) runs.push(await runTimed(args, options));
  const rss = runs.map((run) => run.rssKiB).filter((value) => value !== undefined);
  return { ms: median(runs.map((run) => run.ms)), rssKiB: rss.length ? Math.max(...rss) : undefined, last: runs.at(-1) };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function peakRss(file) {
  if (!(await fs.pathExists(file))) return undefined;
  const values = (await fs.readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => Number(line.split(' ')[1]));
  return Math.max(...values);
}
