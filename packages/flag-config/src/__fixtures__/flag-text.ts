import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** Where the valid fixture belongs in a repository. */
export const VALID_FLAG_FILE = 'flags/payments/prod/us-east-1/flag.yaml';

/** A valid three-zone single-AZ flag.yaml (cells alpha, bravo). */
export const VALID_FLAG = readFileSync(path.join(__dirname, 'valid-flag.yaml'), 'utf8');

/** `text` with `from` replaced by `to`; throws when `from` is not there, so a fixture edit cannot silently miss. */
export function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`fixture edit: ${JSON.stringify(from)} not found`);
  return text.replace(from, to);
}

/** 1-based number of the first line containing `snippet`. */
export function lineOf(text: string, snippet: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(snippet));
  if (index < 0) throw new Error(`fixture: no line contains ${JSON.stringify(snippet)}`);
  return index + 1;
}

/** A minimal valid flag.yaml for a triple, for repository tests. */
export function flagYaml(options: { customer: string; environment: string; region: string; vpcCidr: string; zones?: string[]; cells?: string }): string {
  const zones = options.zones ?? [`${options.region}a`, `${options.region}b`];
  return [
    `customer: ${options.customer}`,
    `environment: ${options.environment}`,
    `region: ${options.region}`,
    'aws:',
    '  accountId: "123456789012"',
    'network:',
    `  vpcCidr: ${options.vpcCidr}`,
    `  zones: [${zones.join(', ')}]`,
    'topology: single-az',
    options.cells ?? `cells:\n  - name: a1\n    zone: ${zones[0]}\n    slot: 1`,
    '',
  ].join('\n');
}

/** The smallest valid flags/org.yaml: the state backend, which has no default. */
export const MINIMAL_ORG = 'state:\n  bucket: kitt-test-state\n  region: us-east-1\n';
