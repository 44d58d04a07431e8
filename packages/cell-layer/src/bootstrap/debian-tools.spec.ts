import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { itWithTool } from './__fixtures__/debian-tool';
import { renderNode, ROLE_CASES, scriptsOf } from './__fixtures__/example-config';

const CLOUD_INIT = { command: 'cloud-init', debianPackage: 'cloud-init' };
const SHELLCHECK = { command: 'shellcheck', debianPackage: 'shellcheck' };

/** Runs `test` in a fresh temporary directory that is removed afterwards. */
function inTempDir(test: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'kitt-bootstrap-'));
  try {
    test(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(command: string, args: readonly string[]): { status: number | null; output: string } {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 });
  return {
    status: result.status,
    output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error?.message ?? ''}`,
  };
}

describe('cloud-init schema', () => {
  for (const { label, role, member } of ROLE_CASES) {
    itWithTool(CLOUD_INIT, `accepts the ${label} user data`, (cloudInit) =>
      inTempDir((dir) => {
        const file = join(dir, 'user-data.yaml');
        writeFileSync(file, renderNode(role, member).text);
        // `--config-file` is the long form in every release (newer ones also take `-c`).
        expect(run(cloudInit, ['schema', '--config-file', file])).toEqual({ status: 0, output: expect.any(String) });
      }),
    );
  }
});

describe('shellcheck', () => {
  for (const { label, role, member } of ROLE_CASES) {
    itWithTool(SHELLCHECK, `passes every script of the ${label}`, (shellcheck) =>
      inTempDir((dir) => {
        // Scripts side by side, as on the node, so that -x follows `source=lib.sh` relative to the script.
        const files = [...scriptsOf(renderNode(role, member))].map(([path, content]) => {
          const file = join(dir, basename(path));
          writeFileSync(file, content);
          return file;
        });
        expect(files.length).toBeGreaterThan(1);
        const result = run(shellcheck, ['--external-sources', '--source-path=SCRIPTDIR', '--shell=bash', ...files]);
        expect(result.output).toBe('');
        expect(result.status).toBe(0);
      }),
    );
  }
});
