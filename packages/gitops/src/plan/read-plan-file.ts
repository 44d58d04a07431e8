import { readFile } from 'node:fs/promises';
import { parsePlanText } from './plan-text';

/** Reads and parses a plan JSON (or `summary.json`) file: the one I/O edge of the plan module. */
export async function readPlanFile(file: string): Promise<unknown> {
  return parsePlanText(await readFile(file));
}
