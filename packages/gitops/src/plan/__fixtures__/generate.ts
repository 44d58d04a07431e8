/** A synthetic plan of many changes, for the size budget and the renderer's speed. */
export interface GeneratedPlanOptions {
  /** How many resource changes. */
  readonly changes: number;
  /** How many of them are deletes (every 2nd) and replaces (the other), taken from the start. @default 0 */
  readonly destructive?: number;
}

export function generatePlan({ changes, destructive = 0 }: GeneratedPlanOptions): unknown {
  const resource_changes = Array.from({ length: changes }, (_, i) => {
    const address = `module.cell_${i % 7}.aws_security_group_rule.rule["ingress-${i}"]`;
    const before = { id: `sgr-${i}`, cidr_blocks: [`10.${i % 256}.0.0/24`], from_port: 443, to_port: 443, description: `rule ${i}` };
    const after = { cidr_blocks: [`10.${(i + 1) % 256}.0.0/24`], from_port: 443, to_port: 8443, description: `rule ${i} (changed)` };
    let change: Record<string, unknown>;
    if (i < destructive) {
      change =
        i % 2 === 0
          ? { actions: ['delete'], before, after: null, after_unknown: {}, before_sensitive: {}, after_sensitive: false }
          : { actions: ['delete', 'create'], before, after, after_unknown: { id: true }, before_sensitive: {}, after_sensitive: {}, replace_paths: [['cidr_blocks']] };
    } else if (i % 3 === 0) {
      change = { actions: ['update'], before, after: { ...after, id: before.id }, after_unknown: {}, before_sensitive: {}, after_sensitive: {} };
    } else {
      change = { actions: ['create'], before: null, after, after_unknown: { id: true }, before_sensitive: false, after_sensitive: {} };
    }
    return { address, module_address: `module.cell_${i % 7}`, mode: 'managed', type: 'aws_security_group_rule', name: 'rule', index: `ingress-${i}`, change };
  });
  return { format_version: '1.2', terraform_version: '1.11.4', resource_changes, errored: false, complete: true, applyable: true };
}
