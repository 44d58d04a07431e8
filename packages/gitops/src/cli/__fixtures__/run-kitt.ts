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
export async function runKittIn(argv: readonly string[], options: KittRunOptions = {}): Promise<KittRun> {
  let stdout = '';
  let stderr = '';
  const ctx: CommandContext = {
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  };
  const code = await runKitt(argv, ctx, options.loaders);
  return { code, stdout, stderr };
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
export async function runCommandIn(
  command: Command,
  args: ParsedArgs,
  options: Omit<KittRunOptions, 'loaders'> = {},
): Promise<KittRun> {
  let stdout = '';
  let stderr = '';
  const ctx: CommandContext = {
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  };
  const code = await command.run(args, ctx);
  return { code, stdout, stderr };
}
