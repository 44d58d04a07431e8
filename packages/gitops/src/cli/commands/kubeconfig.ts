import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { cellApiDomain, clusterCaCertificateParameterName, clusterName, loadFlag, loadOrg } from '@kitt/flag-config';
import { readSsmParameter } from '../../cluster-access/aws-cli';
import { ClusterAccessErrorCode, clusterAccessError } from '../../cluster-access/errors';
import { buildKubeconfig, checkCaCertificate, checkRoleArn, checkServerUrl } from '../../cluster-access/kubeconfig';
import { defineCommand, type CommandContext } from '../command';

export const kubeconfigCommand = defineCommand({
  name: 'kubeconfig',
  usage: `Usage: kitt kubeconfig <flag-dir> <cell> [--ca-file FILE] [--out FILE] [--role-arn ARN] [--server URL]

Writes a kubeconfig for one cell: its API's private name on port 6443, the
cluster CA read from the cell's SSM parameter through the aws CLI (your own
profile and credentials), and an exec credential that asks
aws-iam-authenticator for a token. No secret is written.

Options:
  --ca-file FILE  the cluster CA certificate (PEM) instead of reading it from SSM: no AWS call
  --out FILE      write here (mode 0600; never overwrites) instead of printing
  --role-arn ARN  the role aws-iam-authenticator assumes for the token (one your team maps)
  --server URL    reach the API here, e.g. a local tunnel https://127.0.0.1:16443;
                  TLS still checks the API's real name

Environment:
  KITT_AWS        the aws executable (default: aws on PATH)

Example:
  kitt kubeconfig flags/payments/prod/us-east-1 a1 --out ~/.kube/payments-prod-a1
`,
  options: {
    'ca-file': { type: 'string' },
    out: { type: 'string' },
    'role-arn': { type: 'string' },
    server: { type: 'string' },
  },
  positionals: { min: 2, max: 2 },
  async run({ values, positionals }, ctx) {
    const [flagDir, cell] = positionals as [string, string];
    const flag = loadFlag(ctx.cwd, flagDir);
    if (!flag.cells.some((c) => c.name === cell)) {
      const known = flag.cells.map((c) => c.name).join(', ');
      throw clusterAccessError(
        ClusterAccessErrorCode.CELL_UNKNOWN,
        'input',
        `${flag.file} has no cell '${cell}' (its cells: ${known || 'none'})`,
      );
    }
    const { domain } = loadOrg(ctx.cwd);
    if (domain === undefined) {
      throw clusterAccessError(
        ClusterAccessErrorCode.DOMAIN_MISSING,
        'input',
        `flags/org.yaml has no domain: a cell's API is named api.<cell>.<flag-id>.<domain>`,
      );
    }
    const server = values.server === undefined ? undefined : checkServerUrl(values.server);
    const roleArn = values['role-arn'] === undefined ? undefined : checkRoleArn(values['role-arn']);
    const caPem = await clusterCa(values['ca-file'], clusterCaCertificateParameterName(flag, cell), flag.region, ctx);
    const text = buildKubeconfig({
      clusterName: clusterName(flag, cell),
      apiDomain: cellApiDomain(flag, cell, domain),
      caPem,
      ...(server === undefined ? {} : { server }),
      ...(roleArn === undefined ? {} : { roleArn }),
    });
    if (values.out === undefined) {
      ctx.stdout(text);
      return 0;
    }
    writeNew(path.resolve(ctx.cwd, values.out), values.out, text);
    ctx.stdout(`✓ kitt kubeconfig: ${values.out} (cluster ${clusterName(flag, cell)})\n`);
    return 0;
  },
});

/** The CA: `--ca-file`, or the cell's SSM parameter read through the aws CLI. */
async function clusterCa(caFile: string | undefined, parameter: string, region: string, ctx: CommandContext) {
  if (caFile === undefined) {
    const value = await readSsmParameter(parameter, region, ctx.env);
    return checkCaCertificate(value, `SSM parameter ${parameter} (${region})`, 'external');
  }
  let text: string;
  try {
    text = readFileSync(path.resolve(ctx.cwd, caFile), 'utf8');
  } catch (error) {
    throw clusterAccessError(
      ClusterAccessErrorCode.CA_FILE_UNREADABLE,
      'input',
      `--ca-file ${caFile} cannot be read: ${(error as Error).message}`,
    );
  }
  return checkCaCertificate(text, `--ca-file ${caFile}`, 'input');
}

/** Creates `file` with mode 0600; an existing file (or symbolic link) is left alone and refused. */
function writeNew(file: string, shown: string, text: string): void {
  try {
    writeFileSync(file, text, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw clusterAccessError(
        ClusterAccessErrorCode.OUT_EXISTS,
        'input',
        `--out ${shown} exists: kitt never overwrites a kubeconfig (remove it, or choose another file)`,
      );
    }
    throw clusterAccessError(
      ClusterAccessErrorCode.OUT_UNWRITABLE,
      'external',
      `--out ${shown} cannot be created: ${(error as Error).message}`,
    );
  }
}
