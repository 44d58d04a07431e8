import { canonicalCidr, cidrContains, firstFreeSlash16 } from '@kitt/allocator';
import type { FlagAnalysis } from './analyse-flag';
import { IssueCode } from './errors';
import { flagFile, flagId, type FlagTriple } from './naming';
import type { InputIssue } from './types';

/**
 * Rules between FLAGs, always over every FLAG of the repository (an issue is
 * reported only on files in scope): no two files declare one triple, no two
 * VPCs overlap. Works on what each file declares, so a FLAG with an unrelated
 * error still takes part (its VPC is still taken).
 *
 * Not checked on purpose: one FLAG's VPC inside another's `reserved` ranges.
 * Reserving a peered VPC's range is exactly what `reserved` is for.
 */
export function crossFlagIssues(
  analyses: readonly FlagAnalysis[],
  options: { readonly inScope?: (file: string) => boolean; readonly pool?: readonly string[] } = {},
): InputIssue[] {
  const inScope = options.inScope ?? (() => true);
  return [...duplicateTriples(analyses, inScope), ...overlappingVpcs(analyses, inScope, options.pool)];
}

function duplicateTriples(analyses: readonly FlagAnalysis[], inScope: (file: string) => boolean): InputIssue[] {
  const byTriple = new Map<string, FlagAnalysis[]>();
  for (const analysis of analyses) {
    const { customer, environment, region } = analysis.declared;
    if (customer === undefined || environment === undefined || region === undefined) continue;
    const id = flagId({ customer, environment, region });
    byTriple.set(id, [...(byTriple.get(id) ?? []), analysis]);
  }
  return [...byTriple].flatMap(([id, group]) =>
    group.length < 2
      ? []
      : group
          .filter((a) => inScope(a.file))
          .map((analysis) => {
            const others = group.filter((other) => other !== analysis).map((other) => other.file);
            return withLine(analysis, 'customer', {
              code: IssueCode.FLAG_DUPLICATE,
              file: analysis.file,
              path: '',
              message: `FLAG ${id} is also declared in ${others.join(', ')}: one (customer, environment, region) is one FLAG`,
              received: id,
              expected: `one file per FLAG, at ${flagFile(analysis.declared as FlagTriple)}`,
            });
          }),
  );
}

/**
 * A VPC outside every range of the org pool (`kitt new` takes VPCs from the
 * pool; one chosen by hand must come from it too, or the pool stops
 * describing what the org uses). Undefined for text that is no CIDR: the
 * allocator reports it.
 */
export function vpcOutsidePool(vpcCidr: string, pool: readonly string[]): Omit<InputIssue, 'file'> | undefined {
  const canonical = canonicalCidr(vpcCidr);
  const ranges = pool.filter((range) => canonicalCidr(range) !== undefined);
  if (canonical === undefined || ranges.length === 0) return undefined;
  if (ranges.some((range) => cidrContains(range, canonical))) return undefined;
  return {
    code: IssueCode.VPC_OUTSIDE_POOL,
    path: 'network.vpcCidr',
    message: `VPC ${canonical} is outside the org pool (${ranges.join(', ')} in flags/org.yaml)`,
    received: vpcCidr,
    expected: `a /16 inside ${ranges.join(', ')} (kitt new takes the first free one), or widen the pool in flags/org.yaml`,
  };
}

/** VPC_OUTSIDE_POOL for every FLAG in scope. */
export function poolIssues(
  analyses: readonly FlagAnalysis[],
  inScope: (file: string) => boolean,
  pool: readonly string[],
): InputIssue[] {
  return analyses.flatMap((analysis) => {
    const cidr = analysis.declared.vpcCidr;
    const issue = cidr === undefined || !inScope(analysis.file) ? undefined : vpcOutsidePool(cidr, pool);
    return issue ? [withLine(analysis, 'network.vpcCidr', { ...issue, file: analysis.file })] : [];
  });
}

interface Range {
  readonly analysis: FlagAnalysis;
  readonly cidr: string;
  readonly start: number;
  readonly end: number;
}

/** Sweep over VPCs sorted by address: O(n log n) for the usual disjoint /16s, so 250 FLAGs stay fast. */
function overlappingVpcs(
  analyses: readonly FlagAnalysis[],
  inScope: (file: string) => boolean,
  pool?: readonly string[],
): InputIssue[] {
  const ranges = analyses
    .flatMap((analysis): Range[] => {
      const cidr = analysis.declared.vpcCidr;
      return cidr === undefined ? [] : [{ analysis, cidr, ...bounds(cidr) }];
    })
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const used = ranges.map((range) => range.cidr);
  const issues: InputIssue[] = [];
  let active: Range[] = [];
  for (const range of ranges) {
    active = active.filter((other) => other.end > range.start);
    for (const other of active) {
      const [first, second] = [other, range].sort((a, b) => (a.analysis.file < b.analysis.file ? -1 : 1)) as [
        Range,
        Range,
      ];
      const target = inScope(second.analysis.file) ? second : inScope(first.analysis.file) ? first : undefined;
      if (!target) continue;
      const peer = target === first ? second : first;
      issues.push(
        withLine(target.analysis, 'network.vpcCidr', {
          code: IssueCode.VPC_OVERLAP,
          file: target.analysis.file,
          path: 'network.vpcCidr',
          message: `VPC ${target.cidr} overlaps VPC ${peer.cidr} of ${peer.analysis.file}: FLAG VPCs must not share addresses`,
          received: target.cidr,
          expected: freeSuggestion(pool, used),
        }),
      );
    }
    active.push(range);
  }
  return issues;
}

function freeSuggestion(pool: readonly string[] | undefined, used: readonly string[]): string {
  const free = pool && firstFreeSlash16(pool, used);
  return free
    ? `a /16 no other FLAG uses, e.g. ${free} (the first free /16 of the org pool)`
    : 'a /16 no other FLAG uses';
}

/** [start, end) of a canonical CIDR as integers (the allocator has already vouched for the text). */
function bounds(cidr: string): { start: number; end: number } {
  const [address = '', prefix = '32'] = cidr.split('/');
  const start = address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
  return { start, end: start + 2 ** (32 - Number(prefix)) };
}

function withLine(analysis: FlagAnalysis, path: string, issue: InputIssue): InputIssue {
  const line = analysis.lineOf(path);
  return line === undefined ? issue : { ...issue, line };
}
