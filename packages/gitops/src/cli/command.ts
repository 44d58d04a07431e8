import type { ParseArgsConfig } from 'node:util';

/** Where a command reads and writes: passed in, so tests run commands in-process on temporary repos. */
export interface CommandContext {
  /** Repository root (the directory holding `flags/`). */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | string[] | boolean[] | undefined>>;
  readonly positionals: readonly string[];
}

/** One `kitt <name>` command. `run` returns the exit code (0 ok, 1 failure or bad input). */
export interface Command {
  readonly name: string;
  /** Synopsis and option list for `kitt <name> --help`. */
  readonly usage: string;
  readonly options: OptionsConfig;
  /** How many positionals the command takes. @default { min: 0, max: 0 } */
  readonly positionals?: { readonly min: number; readonly max: number };
  run(args: ParsedArgs, ctx: CommandContext): Promise<number>;
}

/** Wrong invocation (unknown command or option, missing argument): exit 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
