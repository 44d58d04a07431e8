import { cellApiDomain, clusterName, KUBE_API_PORT } from '@kitt/flag-config';
import { DEFAULT_TUNNEL_PORT, openTunnel } from '../../cluster-access/tunnel';
import { defineCommand, UsageError } from '../command';
import { loadCellTarget } from './cell-argument';

const USAGE = `Usage: kitt tunnel <flag-dir> <cell> [--port N]

Opens a tunnel to a cell's Kubernetes API from outside its VPC and keeps it
open until interrupted (Ctrl-C): an SSM Session Manager port-forwarding
session (aws ssm start-session, document AWS-StartPortForwardingSession) from
127.0.0.1:PORT to port 6443 of one running control-plane instance of the
cell, found by its tags. Nothing is exposed inbound; your IAM identity must
be allowed ssm:StartSession on the instance with that document, and the
Session Manager plugin must be installed beside the aws CLI. TLS through the
tunnel still checks the API's private name: use a kubeconfig made with
kitt kubeconfig --tunnel (or --server with another port).

Options:
  --port N   the local port (default ${DEFAULT_TUNNEL_PORT})

Environment:
  KITT_AWS   the aws executable (default: aws on PATH)

Example:
  kitt tunnel flags/payments/prod/us-east-1 a1
  kitt kubeconfig flags/payments/prod/us-east-1 a1 --tunnel --out ~/.kube/payments-prod-a1-tunnel
`;

function portOption(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TUNNEL_PORT;
  const port = Number(value);
  if (!/^\d{1,5}$/.test(value) || port < 1024 || port > 65535)
    throw new UsageError(`--port must be a port number from 1024 to 65535, got '${value}'`, 'tunnel');
  return port;
}

/** Resolves with the first SIGINT or SIGTERM after it is called; `dispose` stops listening. */
function interrupted(): { readonly signal: Promise<NodeJS.Signals>; dispose(): void } {
  let listener: (signal: NodeJS.Signals) => void = () => {};
  const signal = new Promise<NodeJS.Signals>((resolve) => (listener = resolve));
  process.on('SIGINT', listener);
  process.on('SIGTERM', listener);
  return {
    signal,
    dispose() {
      process.off('SIGINT', listener);
      process.off('SIGTERM', listener);
    },
  };
}

export const tunnelCommand = defineCommand({
  name: 'tunnel',
  usage: USAGE,
  options: { port: { type: 'string' } },
  positionals: { min: 2, max: 2 },
  async run({ values, positionals }, ctx) {
    const [flagDir, cell] = positionals as [string, string];
    const localPort = portOption(values.port);
    const { flag, domain } = loadCellTarget(ctx.cwd, flagDir, cell);
    const tunnel = await openTunnel({ flag, cell, env: ctx.env, localPort });
    // Listening before saying it is open: a Ctrl-C from here on closes the session.
    const stop = interrupted();
    try {
      const kubeconfigHint = tunnel.localPort === DEFAULT_TUNNEL_PORT ? '--tunnel' : `--server ${tunnel.url}`;
      ctx.stdout(
        `✓ kitt tunnel: ${tunnel.url} → ${tunnel.instanceId}:${KUBE_API_PORT} (cluster ${clusterName(flag, cell)}; ` +
          `TLS name ${cellApiDomain(flag, cell, domain)})\n` +
          `  kubeconfig: kitt kubeconfig ${flagDir} ${cell} ${kubeconfigHint} --out <file>\n` +
          `  Open until interrupted (Ctrl-C).\n`,
      );
      const signal = await Promise.race([stop.signal, tunnel.ended]);
      ctx.stdout(`✓ kitt tunnel: closed on ${signal}\n`);
      return 0;
    } finally {
      stop.dispose();
      await tunnel.close();
    }
  },
});
