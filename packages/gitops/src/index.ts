// The package's entry point: the `kitt` CLI (scripts/kitt.mjs). Everything else is reached through it.
export { runKitt } from './cli/main';
export type { CommandContext } from './cli/command';
