import { createHash } from 'node:crypto';
import { canonicalJson } from '../json/canonical-json';

/**
 * SHA-256 of a synthesized `cdk.tf.json` as Terraform reads it: keys sorted,
 * and every `//` key dropped. Terraform's JSON syntax treats `//` as a comment;
 * cdktf keeps its metadata there (its own version, construct paths), so a cdktf
 * upgrade or a refactor that keeps every address plans nothing.
 */
export function configHash(cdkTfJson: string): string {
  return configHashOf(JSON.parse(cdkTfJson));
}

/** `configHash` of a `cdk.tf.json` already parsed. */
export function configHashOf(config: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(withoutComments(config)))
    .digest('hex');
}

/** A copy of parsed JSON without its `//` keys, at every level. */
function withoutComments(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutComments);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([key]) => key !== '//')
      .map(([key, inner]) => [key, withoutComments(inner)]),
  );
}
