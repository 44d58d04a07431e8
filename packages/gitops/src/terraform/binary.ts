import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/** Environment variable that names the Terraform-compatible binary (e.g. `tofu` or `/opt/tofu/bin/tofu`). */
export const TERRAFORM_BINARY_ENV = 'KITT_TERRAFORM';

/** The binary used when `KITT_TERRAFORM` is unset or empty. */
export const DEFAULT_TERRAFORM_BINARY = 'terraform';

type Env = Readonly<Record<string, string | undefined>>;

/** The command kitt runs for Terraform: `KITT_TERRAFORM` (any name or path) or `terraform`. */
export function terraformCommand(env: Env): string {
  const named = env[TERRAFORM_BINARY_ENV]?.trim();
  return named ? named : DEFAULT_TERRAFORM_BINARY;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where `command` resolves, the way a shell would find it: a name is looked up
 * on `PATH` (with `PATHEXT` on Windows), a path (containing a separator) is
 * taken relative to `cwd`. Returns `undefined` when nothing executable is there.
 */
export function findExecutable(command: string, env: Env, cwd: string = process.cwd()): string | undefined {
  if (command.includes('/') || command.includes('\\')) {
    const path = isAbsolute(command) ? command : resolve(cwd, command);
    return isExecutableFile(path) ? path : undefined;
  }
  const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const ext of extensions) {
      const candidate = join(dir, command + ext);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

/** The Terraform binary kitt would run, and whether it is there. */
export interface TerraformBinary {
  /** What was asked for: `KITT_TERRAFORM` or `terraform`. */
  readonly command: string;
  /** Resolved executable path; `undefined` when it is not installed (or not on `PATH`). */
  readonly path: string | undefined;
}

/** Resolves the Terraform binary from the environment (`KITT_TERRAFORM`, `PATH`). */
export function locateTerraform(env: Env, cwd?: string): TerraformBinary {
  const command = terraformCommand(env);
  return { command, path: findExecutable(command, env, cwd) };
}
