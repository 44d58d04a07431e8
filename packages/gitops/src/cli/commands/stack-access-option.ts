import { loadOrg } from '@kitt/flag-config';
import { cellApiAccess, tunnelWanted } from '../../cluster-access/cell-api-access';
import type { CommandContext } from '../command';

/** `--no-tunnel` of kitt plan and kitt apply, as their help lists it, its text starting at `column`. */
export function noTunnelHelp(column: number): string {
  const indent = ' '.repeat(column);
  return [
    `  --no-tunnel${' '.repeat(column - 13)}reach addons stacks' cell APIs by their private names, from a`,
    `${indent}runner inside the VPC (or KITT_NO_TUNNEL=true). By default each goes`,
    `${indent}through an SSM tunnel to a control-plane instance (as kitt tunnel);`,
    `${indent}the aws CLI runs it with its Session Manager plugin. Tokens for the`,
    `${indent}APIs come from aws eks get-token: the providers run aws on PATH, kitt`,
    `${indent}runs the one KITT_AWS names (default aws)`,
  ].join('\n');
}

/** What an apply's timeouts tell people to run. */
export function applyRetry(commit: string, flagDir: string | undefined): string {
  return `re-run the apply workflow for ${commit} (kitt apply --commit ${commit}${flagDir ? ` --flag ${flagDir}` : ''})`;
}

/**
 * How kitt plan and kitt apply reach addons stacks' cell APIs: a tunnel each,
 * unless `--no-tunnel` or `KITT_NO_TUNNEL` says the runner is inside the VPC.
 * `retry` is what a timeout tells people to run.
 */
export function stackAccessFor(ctx: CommandContext, noTunnel: boolean, retry: string) {
  return cellApiAccess({
    env: ctx.env,
    domain: () => loadOrg(ctx.cwd).domain,
    tunnel: tunnelWanted(noTunnel, ctx.env),
    retry,
    progress: (line) => ctx.stdout(`  ${line}\n`),
  });
}
