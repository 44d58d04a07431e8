import { stringify } from 'yaml';

/**
 * YAML as written into user data and node files: multi-line text as literal
 * blocks and no line folding, so a script reads on the node as it was
 * written here.
 */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, blockQuote: 'literal' });
}
