// Figure 2: one allocation, `planNetwork` of a 3-zone, 6-cell FLAG, in-process:
// the allocator loaded through tsx's CommonJS hook, as scripts/kitt.mjs does.
import { performance } from 'node:perf_hooks';
import { register } from 'tsx/cjs/api';
import { figure } from './figures.mjs';

const WARM_UP = 500;
/** Timed for at least this long, in batches, so the clock's resolution does not matter. */
const MIN_MS = 1500;
const BATCH = 200;

const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const CELLS = [1, 2].flatMap((slot) => ZONES.map((zone) => ({ name: `${zone.at(-1)}${slot}`, zone, slot })));

export async function benchAllocate({ log }) {
  const tsx = register({ namespace: 'kitt-bench-allocator' });
  const { planNetwork, DEFAULT_POD_CIDR, DEFAULT_NODE_POD_PREFIX } = tsx.require(
    '@kitt/allocator',
    import.meta.filename,
  );
  const input = {
    vpcCidr: '10.0.0.0/16',
    zones: ZONES,
    podCidr: DEFAULT_POD_CIDR,
    nodePodPrefix: DEFAULT_NODE_POD_PREFIX,
    reserved: [],
    topology: 'single-az',
    cells: CELLS,
  };
  const plan = planNetwork(input);
  if (plan.cells.length !== CELLS.length)
    throw new Error(`planNetwork planned ${plan.cells.length} cells, expected ${CELLS.length}`);
  for (let n = 0; n < WARM_UP; n += 1) planNetwork(input);

  log('planNetwork: timing');
  let iterations = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < MIN_MS) {
    for (let n = 0; n < BATCH; n += 1) planNetwork(input);
    iterations += BATCH;
    elapsed = performance.now() - started;
  }
  return [
    figure({
      key: 'allocate.mean',
      name: `planNetwork, 3 zones and 6 cells, in-process, mean per call (${iterations} calls)`,
      value: (elapsed * 1000) / iterations,
      unit: 'µs',
    }),
  ];
}
