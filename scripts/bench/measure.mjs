// Running and timing benchmarked commands. A command that fails is an error
// (the bench exits non-zero); a slow one is only a figure.
import { performance } from 'node:perf_hooks';
import { $, fs, os, path } from 'zx';

const USAGE_PRELOAD = path.join(import.meta.dirname, 'usage.cjs');

/** A benchmarked command exited non-zero: its output tail says why. */
export class BenchCommandError extends Error {}

/**
 * Runs `args` (an argv array) in `cwd`. Resolves with its output, wall time
 * (`ms`), and the resource use of the Node processes it ran (those that exit
 * normally): `rssKiB`, the peak RSS of the largest, and `cpuMs`, their user +
 * system CPU time summed; and `rssTreeKiB`, the most RSS its process tree held
 * at once (sampled every SAMPLE_MS). Rejects with BenchCommandError when it exits non-zero.
 */
export async function runTimed(args, { cwd, env = {} } = {}) {
  const usageDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kitt-bench-usage-'));
  const usageFile = path.join(usageDir, 'usage.txt');
  const childEnv = {
    ...process.env,
    ...env,
    KITT_BENCH_USAGE_FILE: usageFile,
    NODE_OPTIONS: [process.env.NODE_OPTIONS, `--require=${USAGE_PRELOAD}`].filter(Boolean).join(' '),
  };
  try {
    const started = performance.now();
    const running = $({ cwd, env: childEnv, quiet: true, nothrow: true })`${args}`;
    const sampler = sampleTreeRss(() => running.child?.pid);
    const result = await running;
    const ms = performance.now() - started;
    const rssTreeKiB = await sampler.stop();
    if (result.exitCode !== 0) {
      const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-15).join('\n');
      throw new BenchCommandError(`'${args.join(' ')}' (in ${cwd}) exited ${result.exitCode}:\n${tail}`);
    }
    return { ms, stdout: result.stdout, stderr: result.stderr, rssTreeKiB, ...(await readUsage(usageFile)) };
  } finally {
    await fs.remove(usageDir);
  }
}

/** Runs the same command `times` times: median wall and CPU time, highest peak RSS, the last run's output. */
export async function runRepeated(times, args, options) {
  const runs = [];
  for (let n = 0; n < times; n += 1) runs.push(await runTimed(args, options));
  return {
    ms: median(runs.map((run) => run.ms)),
    cpuMs: median(runs.map((run) => run.cpuMs)),
    rssKiB: Math.max(...runs.map((run) => run.rssKiB)),
    rssSumKiB: Math.max(...runs.map((run) => run.rssSumKiB)),
    rssTreeKiB: Math.max(...runs.map((run) => run.rssTreeKiB)),
    processes: Math.max(...runs.map((run) => run.processes)),
    last: runs.at(-1),
  };
}

/**
 * How often the process tree's RSS is read. A synthesis holds its memory for
 * seconds, so a sample a second finds the peak; sampling oftener (a `ps` each
 * time) cost the measured commands a share of the cores they are timed on.
 */
const SAMPLE_MS = 1000;

/** Polls the RSS of the process `pid()` and all its descendants; `stop()` resolves with the highest sum seen. */
function sampleTreeRss(pid) {
  let peak = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const root = pid();
      if (root !== undefined) {
        const rows = await processTable();
        const children = new Map();
        for (const [child, parent] of rows) children.set(parent, [...(children.get(parent) ?? []), child]);
        const rss = new Map(rows.map(([child, , kib]) => [child, kib]));
        let sum = 0;
        for (const queue = [root]; queue.length > 0; ) {
          const next = queue.pop();
          sum += rss.get(next) ?? 0;
          queue.push(...(children.get(next) ?? []));
        }
        peak = Math.max(peak, sum);
      }
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return peak;
    },
  };
}

/** `[pid, ppid, rss KiB]` of every process: read from /proc where there is one (no process started), else from `ps`. */
async function processTable() {
  if (await fs.pathExists('/proc/self/status')) {
    const rows = [];
    for (const entry of await fs.readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const status = await fs.readFile(`/proc/${entry}/status`, 'utf8').catch(() => ''); // it may have exited
      const ppid = /^PPid:\s+(\d+)/m.exec(status)?.[1];
      if (ppid === undefined) continue;
      rows.push([Number(entry), Number(ppid), Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0)]);
    }
    return rows;
  }
  const listed = await $({ quiet: true, nothrow: true })`ps -e -o pid=,ppid=,rss=`;
  return listed.stdout
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number));
}

async function readUsage(file) {
  const lines = (await fs.pathExists(file)) ? (await fs.readFile(file, 'utf8')).split('\n').filter(Boolean) : [];
  const processes = lines.map((line) => line.split(' ').map(Number));
  return {
    rssKiB: Math.max(0, ...processes.map(([, rss]) => rss)),
    rssSumKiB: processes.reduce((sum, [, rss]) => sum + rss, 0),
    cpuMs: processes.reduce((sum, [, , user, system]) => sum + (user + system) / 1000, 0),
    processes: processes.length,
  };
}

/** The median of a non-empty list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
