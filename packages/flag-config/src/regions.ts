/**
 * AWS regions a FLAG may name. A static list on purpose: a typo (`us-east1`)
 * must fail in `kitt check`, not in the first plan. Add a region here when AWS
 * opens one.
 */
export const AWS_REGIONS = [
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'cn-north-1',
  'cn-northwest-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-gov-east-1',
  'us-gov-west-1',
  'us-west-1',
  'us-west-2',
] as const;

export type AwsRegion = (typeof AWS_REGIONS)[number];

export function isAwsRegion(text: unknown): text is AwsRegion {
  return typeof text === 'string' && (AWS_REGIONS as readonly string[]).includes(text);
}

/** Whether `zone` is an availability zone of `region`: the region name plus one letter (`us-east-1a`). */
export function isZoneOfRegion(zone: string, region: string): boolean {
  return zone.length === region.length + 1 && zone.startsWith(region) && /[a-z]$/.test(zone);
}

/** The closest known region to a typo, for "did you mean" hints. */
export function closestRegion(text: string): AwsRegion | undefined {
  return closest(text, AWS_REGIONS);
}

/** Longer text is no typo of a short name: no guess, and no edit distance paid for it. */
const MAX_GUESS_LENGTH = 64;

/** The nearest candidate within a third of `text`'s length in edits (at least one), if any; list order breaks ties. */
export function closest<T extends string>(text: string, candidates: readonly T[]): T | undefined {
  if (text.length > MAX_GUESS_LENGTH) return undefined;
  const limit = Math.max(1, Math.floor(text.length / 3));
  let best: { candidate: T; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(text, candidate);
    if (distance <= limit && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
