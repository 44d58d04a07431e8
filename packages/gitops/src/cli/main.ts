import { parseArgs } from 'node:util';
import { InputError, formatIssues } from '@kitt/flag-config';
import { UsageError, type Command, type CommandContext } from './command';
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
 * An error that carries a stable code (`SYNTH_MANIFEST_MISSING`,
 * `GITHUB_API_ERROR`, ...) was thrown on purpose for a person to read; any
 * other error is a bug and keeps its stack trace.
 */
function isExpectedFailure(error: unknown): error is Error & { code: string } {
  const code: unknown = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code);
}

/**
 * Runs one `kitt` invocation and returns its exit code. Input and usage errors
 * are reported here, once, for people (no stack traces); anything else is a bug
 * and keeps its stack.
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
    if (error instanceof InputError) {
      ctx.stderr(`${formatIssues(error.issues)}\n`);
      return 1;
    }
    if (isExpectedFailure(error)) {
      ctx.stderr(`kitt: ${error.message} [${error.code}]\n`);
      return 1;
    }
    throw error;
  }
}
