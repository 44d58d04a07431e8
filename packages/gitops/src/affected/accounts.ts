import { parse } from 'yaml';
import { AffectedError, AffectedErrorCode } from './errors';

/*
 * Two fields read without the full flag-config validation, on purpose: a
 * removed FLAG's flag.yaml and base's org.yaml are files of an older commit,
 * which today's schema may no longer accept, and `kitt check` has already
 * validated head's.
 */

/** `aws.accountId` of a flag.yaml. */
export function accountIdOf(flagYaml: string, file: string): string {
  const value = field(parseQuietly(flagYaml), ['aws', 'accountId']);
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  throw new AffectedError(
    AffectedErrorCode.ACCOUNT_ID_MISSING,
    `${file}: aws.accountId: expected a 12-digit AWS account id (run kitt check for every problem of this file)`,
    file,
  );
}

/** `accounts.<id>.planRoleArn` of an org.yaml, per account id; empty when the file or the field is absent. */
export function planRolesOf(orgYaml: string | undefined): Map<string, string> {
  const accounts = orgYaml === undefined ? undefined : field(parseQuietly(orgYaml), ['accounts']);
  const roles = new Map<string, string>();
  if (accounts === null || typeof accounts !== 'object') return roles;
  for (const [accountId, entry] of Object.entries(accounts as Record<string, unknown>)) {
    const arn = field(entry, ['planRoleArn']);
    if (typeof arn === 'string' && arn !== '') roles.set(accountId, arn);
  }
  return roles;
}

function parseQuietly(text: string): unknown {
  try {
    return parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function field(root: unknown, path: readonly string[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
