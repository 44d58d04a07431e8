/**
 * Shell text from validated values. Every value a script gets from the
 * configuration is written through `shq`, single-quoted, even though the
 * validation already limits it to characters that need no quoting.
 */

/** The value as one single-quoted shell word. */
export function shq(value: string | number): string {
  return `'${String(value).replaceAll("'", `'\\''`)}'`;
}

/** Where the scripts live on a node. */
export const SCRIPT_DIR = '/usr/local/lib/kitt';

/** Path of a script on the node. */
export function scriptPath(name: string): string {
  return `${SCRIPT_DIR}/${name}`;
}

/** A script that sources other scripts of the same directory (shellcheck follows them with `-x -P SCRIPTDIR`). */
export interface ScriptOptions {
  /** What the script does, one line. */
  readonly purpose: string;
  /** Library files it sources, in order, e.g. `lib.sh`. @default [] */
  readonly sources?: readonly string[];
}

/** `#!/usr/bin/env bash`, its purpose, `set -euo pipefail`, its sources, then the body. */
export function bashScript(options: ScriptOptions, body: string): string {
  const sources = (options.sources ?? []).flatMap((file) => [`# shellcheck source=${file}`, `. ${scriptPath(file)}`]);
  return ['#!/usr/bin/env bash', `# ${options.purpose}`, 'set -euo pipefail', ...sources, '', body.trim(), ''].join(
    '\n',
  );
}

/** A sourced library: no `set` of its own (it runs inside its caller's shell options). */
export function bashLibrary(purpose: string, body: string): string {
  return ['#!/usr/bin/env bash', `# ${purpose} Sourced, never run.`, '', body.trim(), ''].join('\n');
}

/** A bash array literal of quoted words. */
export function bashArray(values: readonly string[]): string {
  return `(${values.map(shq).join(' ')})`;
}
