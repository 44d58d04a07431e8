import type { SynthResult } from './types';

/** Managed resources of a synthesized `cdk.tf.json` by Terraform type (types sorted). */
export function countResources(config: unknown): Record<string, number> {
  const resource = (config as { resource?: unknown } | null)?.resource;
  if (typeof resource !== 'object' || resource === null) return {};
  const counts: Record<string, number> = {};
  for (const type of Object.keys(resource).sort()) {
    const byName = (resource as Record<string, unknown>)[type];
    counts[type] = typeof byName === 'object' && byName !== null ? Object.keys(byName).length : 0;
  }
  return counts;
}

/**
 * What `kitt synth` prints for one FLAG: a ✓ line with where it went, then
 * per stack its resource total, what it depends on, a short config hash and
 * its resources by type.
 */
export function renderSynthSummary(result: SynthResult, outDirShown: string): string {
  const lines = [`✓ ${result.flagDir} → ${outDirShown}`];
  for (const stack of result.stacks) {
    const counts = Object.entries(stack.resourceCounts);
    const total = counts.reduce((sum, [, n]) => sum + n, 0);
    const after = stack.dependsOn.length > 0 ? `, after ${stack.dependsOn.join(', ')}` : '';
    lines.push(
      `  ${stack.name} (${stack.layer}${after}): ${total} resource${total === 1 ? '' : 's'}, sha256 ${stack.configHash.slice(0, 12)}`,
    );
    lines.push(
      ...wrap(
        counts.map(([type, n]) => `${type} ${n}`),
        '    ',
        100,
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Items joined by ', ' into lines of at most `width` characters. */
function wrap(items: readonly string[], indent: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    const next = line === '' ? item : `${line}, ${item}`;
    if (line !== '' && indent.length + next.length > width) {
      lines.push(`${indent}${line},`);
      line = item;
    } else {
      line = next;
    }
  }
  if (line !== '') lines.push(`${indent}${line}`);
  return lines;
}
