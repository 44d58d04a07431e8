// Preloaded into a benchmarked Node process (NODE_OPTIONS=--require): on exit,
// appends `<pid> <peak RSS KiB> <user CPU µs> <system CPU µs>` to
// KITT_BENCH_USAGE_FILE. Child processes inherit NODE_OPTIONS, so a command
// that forks (npx, Nx and its tasks) leaves one line per Node process.
const { appendFileSync } = require('node:fs');

const file = process.env.KITT_BENCH_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    appendFileSync(file, `${process.pid} ${usage.maxRSS} ${usage.userCPUTime} ${usage.systemCPUTime}\n`);
  });
}
