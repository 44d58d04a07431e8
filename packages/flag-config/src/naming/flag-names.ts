/**
 * The one home of a FLAG's names (ARCHITECTURE.md, "Names"): its id, its
 * directory and file in the repository, and its Nx project. Every other place
 * builds and parses them here: a name spelled two ways renames a Terraform
 * address, and a renamed address destroys the resource.
 *
 * `customer` and `environment` hold no hyphen, so the id
 * `<customer>-<environment>-<region>` parses back unambiguously.
 */

/** A FLAG's coordinates: the `(customer, environment, region)` triple. */
export interface FlagTriple {
  readonly customer: string;
  readonly environment: string;
  readonly region: string;
}

/** The repository directory that holds every FLAG (and `org.yaml`). */
export const FLAGS_DIR = 'flags';

/** The file name of a FLAG inside its directory. */
export const FLAG_FILE_NAME = 'flag.yaml';

/** The org-wide settings beside the FLAGs. */
export const ORG_FILE = `${FLAGS_DIR}/org.yaml`;

/** Where FLAGs live, as a glob: `flags/<customer>/<environment>/<region>/flag.yaml`. */
export const FLAG_FILE_GLOB = `${FLAGS_DIR}/*/*/*/${FLAG_FILE_NAME}`;

/** The Nx project name prefix of FLAG projects. */
const PROJECT_PREFIX = 'flag-';

/** `<customer>-<environment>-<region>`. */
export function flagId(flag: FlagTriple): string {
  return `${flag.customer}-${flag.environment}-${flag.region}`;
}

/** Repo-relative directory: `flags/<customer>/<environment>/<region>`. */
export function flagDir(flag: FlagTriple): string {
  return `${FLAGS_DIR}/${flag.customer}/${flag.environment}/${flag.region}`;
}

/** Repo-relative file: `flags/<customer>/<environment>/<region>/flag.yaml`. */
export function flagFile(flag: FlagTriple): string {
  return `${flagDir(flag)}/${FLAG_FILE_NAME}`;
}

/** The Nx project of a FLAG: `flag-<flag-id>`. */
export function flagProjectName(flag: FlagTriple): string {
  return `${PROJECT_PREFIX}${flagId(flag)}`;
}

function triple(customer: string | undefined, environment: string | undefined, region: string | undefined) {
  if (!customer || !environment || !region) return undefined;
  return { customer, environment, region } satisfies FlagTriple;
}

/** The triple of a FLAG id; undefined when the id has fewer than three parts. */
export function parseFlagId(id: string): FlagTriple | undefined {
  const [customer, environment, ...region] = id.split('-');
  return triple(customer, environment, region.join('-'));
}

/** The triple of a repo-relative path that is, or lies under, a FLAG directory (`/`-separated). */
export function parseFlagPath(path: string): FlagTriple | undefined {
  const parts = path.split('/');
  if (parts.length < 4 || parts[0] !== FLAGS_DIR) return undefined;
  return triple(parts[1], parts[2], parts[3]);
}

/** The triple of exactly `flags/<c>/<e>/<r>/flag.yaml` (either separator); undefined for any other path. */
export function parseFlagFile(file: string): FlagTriple | undefined {
  const parts = file.split(/[\\/]/);
  if (parts.length !== 5 || parts[4] !== FLAG_FILE_NAME) return undefined;
  return parseFlagPath(parts.slice(0, 4).join('/'));
}

/** The FLAG directory a repo-relative path lies under: `flags/c/e/r/x/y` → `flags/c/e/r`. */
export function flagDirOfPath(path: string): string | undefined {
  const parts = path.split('/');
  if (parts.length < 5) return undefined;
  const flag = parseFlagPath(path);
  return flag && flagDir(flag);
}

/** The FLAG of an Nx project name, or undefined for a project that is not a FLAG. */
export function parseFlagProjectName(name: string): FlagTriple | undefined {
  return name.startsWith(PROJECT_PREFIX) ? parseFlagId(name.slice(PROJECT_PREFIX.length)) : undefined;
}

/** The id of a FLAG directory: `flags/payments/prod/us-east-1` → `payments-prod-us-east-1`. */
export function flagIdOfDir(dir: string): string {
  const flag = parseFlagPath(dir);
  if (!flag || dir.split('/').length !== 4) throw new RangeError(`not a FLAG directory: ${JSON.stringify(dir)}`);
  return flagId(flag);
}

/** The directory of a FLAG id: `payments-prod-us-east-1` → `flags/payments/prod/us-east-1`. */
export function flagDirOfId(id: string): string {
  const flag = parseFlagId(id);
  if (!flag) throw new RangeError(`not a FLAG id: ${JSON.stringify(id)}`);
  return flagDir(flag);
}
