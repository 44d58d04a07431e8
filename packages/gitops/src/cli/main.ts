import { parseArgs } from 'node:util';
import { KittError } from '@kitt/flag-config';
import { UsageError, type Command, type CommandContext } from './command';
import { renderFailure } from './failure';
import { commandLoaders, type CommandLoaders } from './registry';

const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

/** `kitt --help`: every command with its one-line summary. */
export function renderHelp(all: CommandLoaders = commandLoaders): string {
  const width = Math.max(...all.map((c) => c.name.length));
  const lines = all.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'kitt: FLAGs, their address plan, CDK for Terraform stacks and reviewed plans.',
    '',
    'Usage: kitt <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    "Run 'kitt <command> --help' for a command's options.",
    'Exit codes: 0 ok, 1 failure or bad input, 2 usage error.',
    '',
  ].join('\n');
}

function parseCommandArgs(command: Command, argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      options: { ...command.options, ...HELP_OPTION },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // parseArgs' messages already name the option ("Unknown option '--x'").
    throw new UsageError((error as Error).message, command.name);
  }
}

function checkPositionals(command: Command, positionals: readonly string[]): void {
  const { min, max } = command.positionals ?? { min: 0, max: 0 };
  if (positionals.length < min) {
    throw new UsageError(`expected at least ${min} argument(s), got ${positionals.length}`, command.name);
  }
  if (positionals.length > max) {
    throw new UsageError(`unexpected argument '${positionals[max]}'`, command.name);
  }
}

async function dispatch(argv: readonly string[], ctx: CommandContext, loaders: CommandLoaders): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    ctx.stdout(renderHelp(loaders));
    return name === undefined ? 2 : 0;
  }
  const command = loaders.find((entry) => entry.name === name)?.load();
  if (!command) throw new UsageError(`unknown command '${name}'`);
  const { values, positionals } = parseCommandArgs(command, rest);
  if (values.help) {
    ctx.stdout(`${command.usage.trimEnd()}\n`);
    return 0;
  }
  checkPositionals(command, positionals);
  return command.run({ values, positionals }, ctx);
}

/**
 * Runs one `kitt` invocation and returns its exit code. The one place that
 * reports failures: usage errors exit 2, every `KittError` (bad input, or a
 * tool or service outside kitt that failed) exits 1, printed once for people
 * without a stack trace; anything else is a bug and keeps its stack.
 */
export async function runKitt(
  argv: readonly string[],
  ctx: CommandContext,
  loaders: CommandLoaders = commandLoaders,
): Promise<number> {
  try {
    return await dispatch(argv, ctx, loaders);
  } catch (error) {
    if (error instanceof UsageError) {
      const hint = error.command ? `kitt ${error.command} --help` : 'kitt --help';
      ctx.stderr(`kitt: ${error.message}\nSee '${hint}'.\n`);
      return 2;
    }
    if (error instanceof KittError) {
      ctx.stderr(renderFailure(error, commandName(argv, loaders)));
      return 1;
    }
    throw error;
  }
}

function commandName(argv: readonly string[], loaders: CommandLoaders): string | undefined {
  return loaders.find((entry) => entry.name === argv[0])?.name;
}
