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

/** One option of a command, as `util.parseArgs` declares it. */
export type OptionSpec =
  | {
      readonly type: 'string';
      readonly short?: string;
      readonly default?: string;
      readonly multiple?: false;
      /** The only values allowed; anything else is a usage error. */
      readonly choices?: readonly string[];
    }
  | { readonly type: 'string'; readonly short?: string; readonly default?: string[]; readonly multiple: true }
  | { readonly type: 'boolean'; readonly short?: string; readonly default?: boolean; readonly multiple?: false };

/** The value an option gives `run`: its type, a list when repeatable, never undefined when it has a default. */
type OptionValue<S extends OptionSpec> = S extends { type: 'boolean' }
  ? boolean
  : S extends { multiple: true }
    ? string[]
    : S extends { choices: readonly (infer C)[] }
      ? C
      : string;

export type OptionValues<O extends Readonly<Record<string, OptionSpec>>> = {
  readonly [K in keyof O as O[K] extends { default: unknown } ? K : never]: OptionValue<O[K]>;
} & {
  readonly [K in keyof O as O[K] extends { default: unknown } ? never : K]?: OptionValue<O[K]>;
};

/** A command as written: its options declared once, their values typed from the declaration. */
export interface CommandDefinition<O extends Readonly<Record<string, OptionSpec>>> {
  readonly name: string;
  readonly usage: string;
  readonly options: O;
  readonly positionals?: { readonly min: number; readonly max: number };
  run(
    args: { readonly values: OptionValues<O>; readonly positionals: readonly string[] },
    ctx: CommandContext,
  ): Promise<number>;
}

/**
 * Declares a command. `util.parseArgs` in strict mode has already checked
 * every option against the same declaration, and `choices` are checked
 * here, so the values `run` receives have exactly the declared types.
 */
export function defineCommand<const O extends Readonly<Record<string, OptionSpec>>>(
  definition: CommandDefinition<O>,
): Command {
  return {
    ...definition,
    run: (args, ctx) => {
      checkChoices(definition.name, definition.options, args.values);
      return definition.run({ values: args.values as OptionValues<O>, positionals: args.positionals }, ctx);
    },
  };
}

function checkChoices(command: string, options: Readonly<Record<string, OptionSpec>>, values: ParsedArgs['values']) {
  for (const [name, spec] of Object.entries(options)) {
    const value = values[name];
    if (!('choices' in spec) || spec.choices === undefined || value === undefined) continue;
    if (!spec.choices.includes(value as string)) {
      throw new UsageError(`--${name} must be one of ${spec.choices.join(', ')}, got '${String(value)}'`, command);
    }
  }
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
