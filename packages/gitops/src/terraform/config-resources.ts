/**
 * The managed resources a synthesized stack declares, as Terraform addresses
 * (`aws_vpc.vpc`), read from the `resource` blocks of its `cdk.tf.json`.
 * This is what the config would create in an empty state: not a Terraform plan
 * (no state was read, nothing was evaluated, `count`/`for_each` not expanded).
 */
export function resourcesInConfig(config: unknown): string[] {
  const resource = (config as { resource?: unknown } | null)?.resource;
  if (typeof resource !== 'object' || resource === null) return [];
  const addresses: string[] = [];
  for (const [type, byName] of Object.entries(resource)) {
    if (typeof byName !== 'object' || byName === null) continue;
    for (const name of Object.keys(byName)) addresses.push(`${type}.${name}`);
  }
  return addresses.sort();
}
