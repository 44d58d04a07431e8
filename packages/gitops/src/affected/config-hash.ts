import { createHash } from 'node:crypto';

/**
 * SHA-256 of a synthesized `cdk.tf.json` as Terraform reads it: keys sorted,
 * and every `//` key dropped. Terraform's JSON syntax treats `//` as a comment;
 * cdktf keeps its metadata there (its own version, construct paths), so a cdktf
 * upgrade or a refactor that keeps every address plans nothing.
 */
export function configHash(cdkTfJson: string): string {
  return createHash('sha256').update(canonicalJson(JSON.parse(cdkTfJson) as unknown)).digest('hex');
}

/** JSON with object keys in code-point order and `//` comments removed. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([key]) => key !== '//')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
