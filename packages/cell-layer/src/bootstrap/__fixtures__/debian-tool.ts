import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Tests that run a Debian-packaged tool (cloud-init, shellcheck, openssl):
 * where the tool is missing they are skipped with a message naming the
 * package, except under `CI=true`, where a missing tool fails the test, so
 * that CI cannot pass by not checking.
 */

export interface DebianTool {
  /** Command on PATH, e.g. `shellcheck`. */
  readonly command: string;
  /** Debian package that provides it, e.g. `shellcheck`. */
  readonly debianPackage: string;
}

/** Absolute path of `command` on PATH, or undefined. */
export function findOnPath(command: string, path: string = process.env['PATH'] ?? ''): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

export function missingToolMessage(tool: DebianTool): string {
  return `'${tool.command}' is not on PATH: install the Debian package '${tool.debianPackage}' (apt-get install ${tool.debianPackage})`;
}

/** What to do about a tool: run with its path, skip, or fail. */
export type ToolDecision =
  | { readonly action: 'run'; readonly path: string }
  | { readonly action: 'skip' | 'fail'; readonly message: string };

export function decideTool(tool: DebianTool, env: NodeJS.ProcessEnv = process.env): ToolDecision {
  const path = findOnPath(tool.command, env['PATH'] ?? '');
  if (path !== undefined) return { action: 'run', path };
  return { action: env['CI'] === 'true' ? 'fail' : 'skip', message: missingToolMessage(tool) };
}

/** `it` that gets the tool's path; skipped (with a logged message) or failing when the tool is absent. */
export function itWithTool(tool: DebianTool, name: string, test: (path: string) => void): void {
  const decision = decideTool(tool);
  if (decision.action === 'run') {
    it(name, () => test(decision.path));
  } else if (decision.action === 'fail') {
    it(name, () => {
      throw new Error(`${decision.message}; CI=true requires it`);
    });
  } else {
    console.log(`skipping "${name}": ${decision.message}`);
    it.skip(name, () => undefined);
  }
}
