import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

const PLAN = resolve(__dirname, '../../../../.github/workflows/plan.yml');

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, string>;
}

const steps: Step[] = (parse(readFileSync(PLAN, 'utf8')) as { jobs: { affected: { steps: Step[] } } }).jobs.affected
  .steps;

describe("plan.yml's affected job", () => {
  const cacheIndex = steps.findIndex((step) => step.uses?.startsWith('actions/cache@'));
  const cache = steps[cacheIndex];

  it('restores the Nx cache and the database Nx finds its hits in, with actions/cache pinned by SHA', () => {
    expect(cache?.uses).toMatch(/^actions\/cache@[0-9a-f]{40}$/);
    const paths = (cache?.with?.path ?? '').split('\n').filter(Boolean);
    expect(paths).toEqual(['.nx/cache', '.nx/workspace-data']);
  });

  it('keys the cache on the lock file and saves a new entry on every run, restoring the newest', () => {
    expect(cache?.with?.key).toContain("hashFiles('package-lock.json')");
    expect(cache?.with?.key).toContain('github.run_id');
    expect(cache?.with?.['restore-keys']?.trim()).toBe(
      "nx-synth-${{ runner.os }}-${{ hashFiles('package-lock.json') }}-",
    );
  });

  it('restores it after npm ci and before kitt affected runs', () => {
    const install = steps.findIndex((step) => step.run?.startsWith('npm ci'));
    const affected = steps.findIndex((step) => step.run?.includes('kitt affected'));
    expect(install).toBeGreaterThanOrEqual(0);
    expect(cacheIndex).toBeGreaterThan(install);
    expect(affected).toBeGreaterThan(cacheIndex);
  });
});
