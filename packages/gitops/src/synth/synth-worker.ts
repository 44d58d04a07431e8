import * as path from 'node:path';
import type { MessagePort } from 'node:worker_threads';
import { loadFlag, loadOrg, type OrgConfig } from '@kitt/flag-config';
import { prepareFlag, synthesizeAppInto } from './app';
import type { SynthesizedStackInfo } from './types';
import { toWireError, type PoolReply, type PoolTask } from './worker-pool';

/** One FLAG to synthesize into its staging directory. */
export interface SynthTask extends PoolTask {
  /** Repository root. */
  readonly root: string;
  /** The FLAG directory, repo-relative. */
  readonly label: string;
  /** Empty staging directory the App is written into. */
  readonly dir: string;
}

/**
 * This module, as the worker pool runs it: `synth-worker.ts` under tsx, `.js`
 * when built. Named from the directory rather than `__filename` because in
 * kitt's bundles (scripts/build.mjs) this code sits inside a command's bundle,
 * and the worker's own bundle `synth-worker.js` lies beside it.
 */
export const SYNTH_WORKER_MODULE = path.join(__dirname, `synth-worker${path.extname(__filename)}`);

/**
 * Synthesizes one FLAG in a worker thread. The main thread validated every
 * FLAG before any task started; loading it again here (a few milliseconds
 * against the synthesis) keeps what crosses threads to paths, so the App is
 * built from exactly the values a serial run would build it from.
 */
export function runSynthTask(task: SynthTask, orgs: Map<string, OrgConfig>): PoolReply<SynthesizedStackInfo[]> {
  try {
    const org = orgs.get(task.root) ?? loadOrg(task.root);
    orgs.set(task.root, org);
    const input = prepareFlag(loadFlag(task.root, task.label), org);
    return { index: task.index, value: synthesizeAppInto(input, path.resolve(task.dir)) };
  } catch (error) {
    return { index: task.index, error: toWireError(error) };
  }
}

/** The worker thread's loop (the pool calls it): one task at a time, `org.yaml` read once per repository. */
export function runWorker(port: MessagePort): void {
  const orgs = new Map<string, OrgConfig>();
  port.on('message', (task: SynthTask) => port.postMessage(runSynthTask(task, orgs)));
}
