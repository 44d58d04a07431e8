import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

/** What Kubernetes' schema says is wrong with one object. */
export interface SchemaProblem {
  readonly index: number;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name?: string;
  readonly error: string;
}

/** Validates every object against Kubernetes' OpenAPI schemas (kubernetes-models), in one Node process. */
export function schemaProblems(objects: readonly unknown[]): SchemaProblem[] {
  const output = execFileSync(process.execPath, [path.join(__dirname, 'validate-objects.mjs')], {
    input: JSON.stringify(objects),
    encoding: 'utf8',
  });
  return JSON.parse(output) as SchemaProblem[];
}
