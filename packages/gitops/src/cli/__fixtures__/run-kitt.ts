import type { Command, CommandContext, ParsedArgs } from '../command';
import { runKitt } from '../main';
import type { CommandLoaders } from '../registry';

/** What one in-process `kitt` call returned and printed. */
export interface KittRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface KittRunOptions {
  readonly cwd?: string;
  readonly env?: CommandContext['env'];
  /** @default every command of the CLI */
  readonly loaders?: CommandLoaders;
}

/**
 * Runs `kitt <argv>` in-process through the CLI's edge, exactly as people and
 * workflows call it (option parsing, error reporting, exit code), and captures
 * what it prints.
 */
export function runKittIn(argv: readonly string[], options: KittRunOptions = {}): Promise<KittRun> {
  return captured(options, (ctx) => runKitt(argv, ctx, options.loaders));
}

/** `{ affected: true, out: 'x' }` → `['--affected', '--out', 'x']`: options as a test reads best. */
export function optionArgs(values: Readonly<Record<string, string | boolean | undefined>>): string[] {
  return Object.entries(values).flatMap(([name, value]) => {
    if (value === undefined || value === false) return [];
    return value === true ? [`--${name}`] : [`--${name}`, value];
  });
}

/**
 * Runs one command's `run` directly, without the CLI's edge: for specs that check the `KittError` it throws
 * (its issues, its code) rather than how the edge prints it. Output is captured the same way.
 */
export function runCommandIn(
  command: Command,
  args: ParsedArgs,
  options: Omit<KittRunOptions, 'loaders'> = {},
): Promise<KittRun> {
  return captured(options, (ctx) => command.run(args, ctx));
}

/** Runs `run` with a context whose output is kept, and returns the exit code with that output. */
async function captured(options: KittRunOptions, run: (ctx: CommandContext) => Promise<number>): Promise<KittRun> {
  let stdout = '';
  let stderr = '';
  const ctx: CommandContext = {
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  };
  const code = await run(ctx);
  return { code, stdout, stderr };
}
