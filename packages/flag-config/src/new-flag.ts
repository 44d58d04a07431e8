import { lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { canonicalCidr, cidrsOverlap, firstFreeSlash16, type CellInput, type Topology } from '@kitt/allocator';
import { Document, isMap, isPair, isScalar, type YAMLSeq } from 'yaml';
import { analyseFlag } from './analyse-flag';
import { IssueCode, InputError } from './errors';
import { symlinkRefused } from './repo-files';
import { vpcOutsidePool } from './cross-flag';
import { analyseFlagFiles, loadOrg } from './load';
import { flagFile } from './naming';
import { isErrno } from './read-input';
import type { InputIssue, OrgConfig } from './types';

export { PLACEHOLDER_ACCOUNT_ID } from './schema';

/** Repo-relative path of the generated JSON Schema of flag.yaml. */
export const FLAG_SCHEMA_FILE = 'packages/flag-config/schema/flag.schema.json';

export interface NewFlagOptions {
  readonly customer: string;
  readonly environment: string;
  readonly region: string;
  /** Full AZ names, in grid order. */
  readonly zones: readonly string[];
  /** @default the first /16 of the org pool that no FLAG uses (nor reserves) */
  readonly vpcCidr?: string;
  /** @default 'single-az' */
  readonly topology?: Topology;
  /** @default one per zone (single-az), 1 (multi-az) */
  readonly cells?: number;
  /** The AWS account this FLAG may touch (12 digits; the placeholder 000000000000 is refused). */
  readonly accountId: string;
}

/** What an existing FLAG occupies; a `Flag` is one, and so is what a broken flag.yaml still declares. */
export interface FlagFootprint {
  readonly file: string;
  readonly network: { readonly vpcCidr: string; readonly reserved?: readonly string[] };
}

export interface NewFlagContext {
  readonly org: OrgConfig;
  /** Every FLAG of the repository. */
  readonly existing: readonly FlagFootprint[];
}

/**
 * The text of a new, valid flag.yaml (`kitt new`). Single-AZ cells fill slot 1
 * of each zone in order, then slot 2, named zone letter + slot (a1, b1, a2);
 * multi-AZ cells are m1, m2. Validated with the same rules as `kitt check`
 * before it is returned; throws InputError with every issue otherwise.
 */
export function newFlagDocument(options: NewFlagOptions, context: NewFlagContext): string {
  const file = flagFile(options);
  const topology = options.topology ?? 'single-az';
  const issues: InputIssue[] = [];
  const refuse = (code: IssueCode, fieldPath: string, message: string, received: unknown, expected: string) =>
    issues.push({ code, file, path: fieldPath, message, received, expected });

  if (context.existing.some((flag) => flag.file === file)) {
    throw new InputError([
      {
        code: IssueCode.FLAG_EXISTS,
        file,
        path: '',
        message: `${file} already exists; kitt new never overwrites a FLAG`,
        expected: 'a (customer, environment, region) that has no FLAG yet, or edit the existing file',
      },
    ]);
  }
  const cells = placeCells(options, topology, refuse);
  const vpcCidr = options.vpcCidr ?? firstFreeVpc(context, refuse);
  if (vpcCidr !== undefined && canonicalCidr(vpcCidr) === vpcCidr) {
    for (const other of context.existing) {
      if (
        canonicalCidr(other.network.vpcCidr) === other.network.vpcCidr &&
        cidrsOverlap(vpcCidr, other.network.vpcCidr)
      ) {
        refuse(
          IssueCode.VPC_OVERLAP,
          'network.vpcCidr',
          `VPC ${vpcCidr} overlaps VPC ${other.network.vpcCidr} of ${other.file}`,
          vpcCidr,
          'a /16 no other FLAG uses (leave out --vpc-cidr to take the first free one of the org pool)',
        );
      }
    }
  }
  if (vpcCidr === undefined) throw new InputError(issues);
  const outside = vpcOutsidePool(vpcCidr, context.org.pool);
  if (outside) issues.push({ ...outside, file });

  const text = renderDocument(file, { ...options, topology, vpcCidr, cells });
  // Lines would point into text that is not on disk: the field paths say enough.
  const documentIssues = analyseFlag(text, file).issues.map(({ line: _line, ...issue }) => issue);
  if (issues.length + documentIssues.length > 0) throw new InputError([...issues, ...documentIssues]);
  return text;
}

type Refuse = (code: IssueCode, fieldPath: string, message: string, received: unknown, expected: string) => void;

function placeCells(options: NewFlagOptions, topology: Topology, refuse: Refuse): CellInput[] {
  const zones = options.zones;
  const count = options.cells ?? (topology === 'multi-az' ? 1 : zones.length);
  const capacity = topology === 'multi-az' ? 2 : 2 * zones.length;
  if (!Number.isInteger(count) || count < 0) {
    refuse(
      IssueCode.INVALID_VALUE,
      'cells',
      `the number of cells must be a whole number, 0 or more`,
      count,
      `0–${capacity}`,
    );
    return [];
  }
  if (count > capacity) {
    const why =
      topology === 'multi-az'
        ? 'a /16 holds two multi-AZ cells (slots 1 and 2)'
        : `${zones.length} zone(s) have ${capacity} slots (two per zone)`;
    refuse(
      IssueCode.CELL_COUNT_EXCEEDS_GRID,
      'cells',
      `${count} cells do not fit: ${why}`,
      count,
      `at most ${capacity}${topology === 'single-az' && zones.length < 3 ? ', or more zones' : ''}`,
    );
  }
  if (topology === 'multi-az') {
    return Array.from({ length: Math.min(count, capacity) }, (_, i) => ({ name: `m${i + 1}`, slot: (i + 1) as 1 | 2 }));
  }
  // Slot 1 of every zone, then slot 2: spread over zones first.
  const places = ([1, 2] as const).flatMap((slot) => zones.map((zone) => ({ zone, slot })));
  return places.slice(0, count).map(({ zone, slot }) => ({ name: `${zone.slice(-1)}${slot}`, zone, slot }));
}

function firstFreeVpc(context: NewFlagContext, refuse: Refuse): string | undefined {
  const used = context.existing
    .flatMap((flag) => [flag.network.vpcCidr, ...(flag.network.reserved ?? [])])
    .filter((cidr) => canonicalCidr(cidr) === cidr);
  const free = firstFreeSlash16(context.org.pool, used);
  if (free === undefined) {
    refuse(
      IssueCode.POOL_EXHAUSTED,
      'network.vpcCidr',
      `no /16 of the org pool is free: every one overlaps an existing FLAG`,
      context.org.pool,
      'a larger pool in flags/org.yaml, or an explicit --vpc-cidr',
    );
  }
  return free;
}

function renderDocument(
  file: string,
  values: Omit<NewFlagOptions, 'cells'> & { topology: Topology; vpcCidr: string; cells: CellInput[] },
): string {
  const accountId = values.accountId;
  const doc = new Document({
    customer: values.customer,
    environment: values.environment,
    region: values.region,
    aws: { accountId },
    network: { vpcCidr: values.vpcCidr, zones: [...values.zones] },
    topology: values.topology,
    cells: values.cells,
  });
  const schema = path.posix.relative(path.posix.dirname(file), FLAG_SCHEMA_FILE);
  // On the first key rather than the document, so no blank line follows it.
  const first = isMap(doc.contents) ? doc.contents.items[0] : undefined;
  if (isPair(first) && isScalar(first.key)) first.key.commentBefore = ` yaml-language-server: $schema=${schema}`;
  (doc.getIn(['network', 'zones'], true) as YAMLSeq).flow = true;
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/**
 * `kitt new`: writes the new flag.yaml and returns its repo-relative path.
 * Refuses to overwrite (FLAG_EXISTS) and writes nothing when the result would
 * be invalid. Every flag.yaml of the repository counts as existing, even a
 * broken one (its VPC is still taken).
 */
export function writeNewFlag(root: string, options: NewFlagOptions): string {
  const file = flagFile(options);
  const absolute = path.join(root, file);
  refuseLinksOnTheWay(root, file);
  if (existsNoFollow(absolute)) throw new InputError([flagExists(file)]);
  const existing = analyseFlagFiles(root).flatMap((analysis): FlagFootprint[] =>
    analysis.declared.vpcCidr === undefined
      ? []
      : [
          {
            file: analysis.file,
            network: { vpcCidr: analysis.declared.vpcCidr, reserved: analysis.flag?.network.reserved ?? [] },
          },
        ],
  );
  const text = newFlagDocument(options, { org: loadOrg(root), existing });
  try {
    mkdirSync(path.dirname(absolute), { recursive: true });
    writeFileSync(absolute, text, { flag: 'wx' });
  } catch (error) {
    // Written meanwhile by someone else (wx), or a path step that is a file.
    if (isErrno(error, 'EEXIST') && existsNoFollow(absolute)) throw new InputError([flagExists(file)]);
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new InputError([
      {
        code: IssueCode.OUTPUT_PATH_INVALID,
        file,
        path: '',
        message: `cannot write ${file} (${code}): a step of its path is not a directory, or may not be written`,
        expected: `flags/${options.customer}/${options.environment}/${options.region} free for a new directory`,
      },
    ]);
  }
  return file;
}

function flagExists(file: string): InputIssue {
  return {
    code: IssueCode.FLAG_EXISTS,
    file,
    path: '',
    message: `${file} already exists; kitt new never overwrites a FLAG`,
    expected: 'a (customer, environment, region) that has no FLAG yet, or edit the existing file',
  };
}

/** `kitt new` never writes through a symbolic link: the file would land wherever it points. */
function refuseLinksOnTheWay(root: string, file: string): void {
  const segments = file.split('/');
  for (let i = 1; i <= segments.length; i += 1) {
    const step = segments.slice(0, i).join('/');
    let isLink: boolean;
    try {
      isLink = lstatSync(path.join(root, step)).isSymbolicLink();
    } catch {
      return; // does not exist yet: nothing further down exists either
    }
    if (isLink) throw new InputError([symlinkRefused(step)]);
  }
}

function existsNoFollow(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
