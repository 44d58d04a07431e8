import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { cellApiDomain, clusterCaCertificateParameterName, clusterName } from '@kitt/flag-config';
import { readSsmParameter } from '../../cluster-access/aws-cli';
import { ClusterAccessErrorCode, clusterAccessError } from '../../cluster-access/errors';
import { DEFAULT_TUNNEL_PORT } from '../../cluster-access/tunnel';
import { buildKubeconfig, checkCaCertificate, checkRoleArn, checkServerUrl } from '../../cluster-access/kubeconfig';
import { defineCommand, UsageError, type CommandContext } from '../command';
import { loadCellTarget } from './cell-argument';

export const kubeconfigCommand = defineCommand({
  name: 'kubeconfig',
  usage: `Usage: kitt kubeconfig <flag-dir> <cell> [--ca-file FILE] [--out FILE] [--role-arn ARN] [--server URL | --tunnel]

Writes a kubeconfig for one cell: its API's private name on port 6443, the
cluster CA read from the cell's SSM parameter through the aws CLI (your own
profile and credentials), and an exec credential that asks the aws CLI for a
token (aws eks get-token: a signed STS request, no EKS call). No secret is
written.

Options:
  --ca-file FILE  the cluster CA certificate (PEM) instead of reading it from SSM: no AWS call
  --out FILE      write here (mode 0600; never overwrites) instead of printing
  --role-arn ARN  the role aws eks get-token assumes for the token (one your team maps)
  --server URL    reach the API here, e.g. a local tunnel https://127.0.0.1:16443;
                  TLS still checks the API's real name
  --tunnel        reach the API through kitt tunnel's default local port
                  (https://127.0.0.1:${DEFAULT_TUNNEL_PORT}): from outside the VPC

Environment:
  KITT_AWS        the aws executable that reads the CA (default: aws on PATH);
                  the kubeconfig's credential runs aws on PATH

Examples:
  kitt kubeconfig flags/payments/prod/us-east-1 a1 --out ~/.kube/payments-prod-a1
  kitt kubeconfig flags/payments/prod/us-east-1 a1 --tunnel --out ~/.kube/payments-prod-a1-tunnel
  kitt tunnel flags/payments/prod/us-east-1 a1     # in another terminal, while you use it
`,
  options: {
    'ca-file': { type: 'string' },
    out: { type: 'string' },
    'role-arn': { type: 'string' },
    server: { type: 'string' },
    tunnel: { type: 'boolean', default: false },
  },
  positionals: { min: 2, max: 2 },
  async run({ values, positionals }, ctx) {
    const [flagDir, cell] = positionals as [string, string];
    const { flag, domain } = loadCellTarget(ctx.cwd, flagDir, cell);
    if (values.tunnel && values.server !== undefined)
      throw new UsageError('--tunnel and --server both say where the API is: give one', 'kubeconfig');
    const server = values.tunnel
      ? `https://127.0.0.1:${DEFAULT_TUNNEL_PORT}`
      : values.server === undefined
        ? undefined
        : checkServerUrl(values.server);
    const roleArn = values['role-arn'] === undefined ? undefined : checkRoleArn(values['role-arn']);
    const caPem = await clusterCa(values['ca-file'], clusterCaCertificateParameterName(flag, cell), flag.region, ctx);
    const text = buildKubeconfig({
      clusterName: clusterName(flag, cell),
      region: flag.region,
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
