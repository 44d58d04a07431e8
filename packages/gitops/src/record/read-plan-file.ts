import { readFile } from 'node:fs/promises';
import { parsePlanText } from '../plan/plan-text';

/** Reads and parses a plan JSON (or `summary.json`) file: kept at the edge, out of the pure plan core. */
export async function readPlanFile(file: string): Promise<unknown> {
  return parsePlanText(await readFile(file));
}
