import { canonicalCidr, validateNetwork, type NetworkInput } from '@kitt/allocator';
import { z } from 'zod';
import { IssueCode, quoteCapped } from './errors';
import { flagDir, flagFile, flagId, parseFlagFile } from './naming';
import { CellSchema, FlagDocumentSchema, NetworkSchema, PLACEHOLDER_ACCOUNT_ID, type FlagDocument } from './schema';
import { PRIVATE_EXPECTED, isPrivateCidr } from './private-space';
import { tooLargeText } from './read-input';
import { isAwsRegion, isZoneOfRegion } from './regions';
import { structuralIssues, type LocalIssue } from './zod-issues';
import { readYaml, type YamlSource } from './yaml-source';
import type { Flag, InputIssue } from './types';

/** What a file says about itself, even when it is invalid: enough for the cross-FLAG checks. */
export interface DeclaredFlag {
  readonly customer?: string;
  readonly environment?: string;
  readonly region?: string;
  /** In canonical form (host bits cleared), when it is a CIDR at all. */
  readonly vpcCidr?: string;
}

/** Everything known about one flag.yaml. */
export interface FlagAnalysis {
  /** Repo-relative path. */
  readonly file: string;
  /** Set exactly when there are no issues. */
  readonly flag?: Flag;
  readonly declared: DeclaredFlag;
  readonly issues: readonly InputIssue[];
  /** Line of a field path in this file (for issues found later, e.g. across FLAGs). */
  lineOf(path: string): number | undefined;
}

const { shape } = FlagDocumentSchema;
/** The network checks still run when a network or cell mapping only has an unknown key too many (reported apart). */
const LenientNetwork = NetworkSchema.strip();
const LenientCell = CellSchema.strip();

/**
 * Every problem of one flag.yaml, in this order: YAML syntax (then nothing
 * else: the structure is unknown), structure (zod), triple vs directory,
 * zones vs region, then the allocator's network rules. Each later check runs
 * on the parts that passed the structural one, so one bad field does not hide
 * the problems of the others.
 */
export function analyseFlag(text: string, file: string): FlagAnalysis {
  const tooLarge = tooLargeText(text, file);
  if (tooLarge) return { file, declared: {}, issues: [tooLarge], lineOf: () => undefined };
  const source = readYaml(text, file);
  const lineOf = (path: string) => source.lineOf(path);
  if (source.issues.length > 0) return { file, declared: {}, issues: source.issues, lineOf };

  const raw = source.value;
  const field = (key: keyof typeof shape) => (isRecord(raw) ? raw[key] : undefined);
  const valid = <K extends keyof typeof shape>(key: K) => {
    const parsed = shape[key].safeParse(field(key));
    return parsed.success ? (parsed.data as FlagDocument[K]) : undefined;
  };
  const customer = valid('customer');
  const environment = valid('environment');
  const region = valid('region');
  const network = lenient(LenientNetwork, field('network'));
  const topology = valid('topology');
  const cells = validCells(field('cells'));

  const local: LocalIssue[] = [
    ...structuralIssues(FlagDocumentSchema, raw),
    ...pathIssues(file, { customer, environment, region }),
    ...(region && network ? zoneIssues(region, network.zones) : []),
    ...(network && topology && cells ? networkIssues(network, topology, cells) : []),
    ...(network ? privateSpaceIssues(network.vpcCidr) : []),
    ...placeholderIssues(field('aws')),
  ];
  const issues = local.map((issue) => locate(issue, file, source));
  // The range the text denotes, host bits or not: it is taken either way.
  const vpcCidr = network && canonicalCidr(network.vpcCidr);
  const declared: DeclaredFlag = { customer, environment, region, vpcCidr };
  if (issues.length > 0) return { file, declared, issues, lineOf };

  const document = FlagDocumentSchema.parse(raw);
  return { file, declared, issues, lineOf, flag: toFlag(document, file) };
}

/**
 * The cells that are well-formed on their own, with their index in the file:
 * one bad cell must not hide the grid problems of the rest.
 */
function validCells(value: unknown): { cells: FlagDocument['cells']; indexInFile: number[] } | undefined {
  if (!Array.isArray(value)) return undefined;
  const cells: FlagDocument['cells'] = [];
  const indexInFile: number[] = [];
  value.forEach((cell, index) => {
    const parsed = LenientCell.safeParse(cell);
    if (!parsed.success) return;
    cells.push(parsed.data);
    indexInFile.push(index);
  });
  return { cells, indexInFile };
}

/** The allocator's issues, with `cells[i]` paths pointing back at the file's own cell index. */
function networkIssues(
  network: FlagDocument['network'],
  topology: FlagDocument['topology'],
  valid: NonNullable<ReturnType<typeof validCells>>,
): LocalIssue[] {
  const inFile = (text: string) =>
    text.replace(/\bcells\[(\d+)\]/g, (_, i: string) => `cells[${valid.indexInFile[Number(i)] ?? i}]`);
  return validateNetwork(networkInput(network, topology, valid.cells)).map((issue) => ({
    ...issue,
    path: inFile(issue.path),
    message: inFile(issue.message),
    ...(issue.expected === undefined ? {} : { expected: inFile(issue.expected) }),
  }));
}

/** A VPC in public or special-purpose space (the allocator has reported text that is no CIDR). */
function privateSpaceIssues(vpcCidr: string): LocalIssue[] {
  const canonical = canonicalCidr(vpcCidr);
  if (canonical === undefined || isPrivateCidr(canonical)) return [];
  return [
    {
      code: IssueCode.VPC_NOT_PRIVATE,
      path: 'network.vpcCidr',
      message:
        `VPC ${canonical} is not wholly private address space: it would shadow public or special-purpose ` +
        'addresses (loopback, link-local, multicast, ...) for everything in it',
      received: vpcCidr,
      expected: `a /16 ${PRIVATE_EXPECTED}, within the org pool`,
    },
  ];
}

/** `kitt new` once wrote 000000000000 when no account was given: it is no account, and must not pass. */
function placeholderIssues(aws: unknown): LocalIssue[] {
  if (!isRecord(aws) || aws.accountId !== PLACEHOLDER_ACCOUNT_ID) return [];
  return [
    {
      code: IssueCode.ACCOUNT_ID_PLACEHOLDER,
      path: 'aws.accountId',
      message: `${PLACEHOLDER_ACCOUNT_ID} is a placeholder, not an AWS account`,
      received: PLACEHOLDER_ACCOUNT_ID,
      expected: 'the 12-digit id of the AWS account this FLAG may touch, in quotes',
    },
  ];
}

function lenient<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

function networkInput(
  network: FlagDocument['network'],
  topology: FlagDocument['topology'],
  cells: FlagDocument['cells'],
): NetworkInput {
  return { ...network, topology, cells };
}

function toFlag(document: FlagDocument, file: string): Flag {
  const { customer, environment, region } = document;
  return {
    id: flagId(document),
    customer,
    environment,
    region,
    dir: flagDir(document),
    file,
    aws: { accountId: document.aws.accountId },
    network: document.network,
    topology: document.topology,
    // A multi-AZ cell has no zone key at all (not `zone: undefined`), so plans and snapshots stay clean.
    cells: document.cells.map(({ name, zone, slot, ...settings }) =>
      zone === undefined ? { name, slot, ...settings } : { name, zone, slot, ...settings },
    ),
    ...(document.teams === undefined ? {} : { teams: document.teams }),
    ...(document.addons === undefined ? {} : { addons: document.addons }),
  };
}

/** The triple must equal `flags/<customer>/<environment>/<region>/flag.yaml`. */
function pathIssues(file: string, declared: DeclaredFlag): LocalIssue[] {
  const inPath = parseFlagFile(file);
  if (!inPath) {
    return [
      {
        code: IssueCode.FLAG_PATH_MISMATCH,
        path: '',
        message: 'a FLAG must live at flags/<customer>/<environment>/<region>/flag.yaml',
        received: file,
        expected: expectedFile(declared),
      },
    ];
  }
  const fields = ['customer', 'environment', 'region'] as const;
  return fields.flatMap((key) => {
    const value = declared[key];
    if (value === undefined || value === inPath[key]) return [];
    return [
      {
        code: IssueCode.FLAG_PATH_MISMATCH,
        path: key,
        message: `${key} ${quoteCapped(value)} does not match the directory name ${quoteCapped(inPath[key])}`,
        received: value,
        expected: `${JSON.stringify(inPath[key])}, or move the file to ${expectedFile(declared)}`,
      },
    ];
  });
}

function expectedFile(declared: DeclaredFlag): string {
  return flagFile({
    customer: declared.customer ?? '<customer>',
    environment: declared.environment ?? '<environment>',
    region: declared.region ?? '<region>',
  });
}

function zoneIssues(region: string, zones: readonly string[]): LocalIssue[] {
  if (!isAwsRegion(region)) return [];
  return zones.flatMap((zone, i) =>
    isZoneOfRegion(zone, region)
      ? []
      : [
          {
            code: IssueCode.ZONE_NOT_IN_REGION,
            path: `network.zones[${i}]`,
            message: `zone ${quoteCapped(zone)} is not an availability zone of ${region}`,
            received: zone,
            expected: `a zone of ${region}: ${region}a, ${region}b, ${region}c, ...`,
          },
        ],
  );
}

function locate(issue: LocalIssue, file: string, source: YamlSource): InputIssue {
  const line = source.lineOf(issue.path);
  return { ...issue, file, ...(line === undefined ? {} : { line }) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
