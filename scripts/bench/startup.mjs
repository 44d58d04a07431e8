// Start-up: `kitt --help` and `kitt network <flag> --format json` as whole
// processes, against a bare Node start (`node -e 0`) measured in the same run,
// the three interleaved so that load on the machine hits each alike.
import { fs } from 'zx';
import { figure, milliseconds } from './figures.mjs';
import { kittArgs } from './kitt.mjs';
import { median, runTimed } from './measure.mjs';
import { createWorkspace, writeFlag } from './workspace.mjs';

const RUNS = 9;

export async function benchStartup({ repoRoot, env, log }) {
  const dir = await createWorkspace(repoRoot, 0);
  try {
    const flagDir = await writeFlag(dir, 0, { cellCount: 6 });
    const commands = {
      node: ['node', '-e', '0'],
      help: kittArgs(dir, ['--help']),
      network: kittArgs(dir, ['network', flagDir, '--format', 'json']),
    };
    await runTimed(commands.help, { cwd: dir, env }); // warm-up: the first call builds kitt for this workspace
    log(`start-up: ${RUNS} rounds of node -e 0, kitt --help, kitt network`);
    const times = { node: [], help: [], network: [] };
    const cpu = { node: [], help: [], network: [] };
    for (let round = 0; round < RUNS; round += 1) {
      for (const [name, args] of Object.entries(commands)) {
        const run = await runTimed(args, { cwd: dir, env });
        times[name].push(run.ms);
        cpu[name].push(run.cpuMs);
      }
    }
    // CPU time is less at the mercy of other load on the machine than wall time: information beside the targets.
    const cpuRatio = (key, name) =>
      figure({
        key: `startup.${key}.cpu`,
        name: `${name}, CPU time as a multiple of node -e 0's (median of ${RUNS})`,
        value: Number((median(cpu[key]) / median(cpu.node)).toFixed(2)),
        unit: '×',
      });
    const node = median(times.node);
    const ratio = (key, name, ms, max) =>
      figure({
        key,
        name: `${name}, wall time as a multiple of node -e 0 (median of ${RUNS})`,
        value: Number((ms / node).toFixed(2)),
        unit: '×',
        target: { max, text: `< ${max}× node -e 0` },
      });
    return [
      figure({
        key: 'startup.node',
        name: `node -e 0, wall time (median of ${RUNS})`,
        value: milliseconds(node),
        unit: 's',
      }),
      ratio('startup.help', 'kitt --help', median(times.help), 2),
      ratio('startup.network', 'kitt network <flag> --format json', median(times.network), 2.5),
      cpuRatio('help', 'kitt --help'),
      cpuRatio('network', 'kitt network <flag> --format json'),
    ];
  } finally {
    await fs.remove(dir);
  }
}
