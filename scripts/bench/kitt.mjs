// How the benches run the CLI and Nx: as a user would, inside a workspace.
import { path } from 'zx';
import { runTimed } from './measure.mjs';

/** argv of `kitt <args>` run from workspace `dir` (its own copy of scripts/kitt.mjs). */
export function kittArgs(dir, args) {
  return ['node', path.join(dir, 'scripts', 'kitt.mjs'), ...args];
}

/** True when this kitt has the command (`kitt <command> --help` succeeds): otherwise its figures are skipped. */
export async function hasKittCommand(dir, command, env) {
  try {
    await runTimed(kittArgs(dir, [command, '--help']), { cwd: dir, env });
    return true;
  } catch {
    return false;
  }
}
