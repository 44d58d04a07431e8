// Preloaded into a benchmarked Node process (NODE_OPTIONS=--require): on exit,
// appends the process's peak resident set size (KiB) to KITT_BENCH_RSS_FILE,
// one `<pid> <maxRSS>` line per process (children inherit NODE_OPTIONS).
const { appendFileSync } = require('node:fs');

const file = process.env.KITT_BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    appendFileSync(file, `${process.pid} ${process.resourceUsage().maxRSS}\n`);
  });
}
