import { runKitt, renderHelp } from './main';
import type { CommandContext } from './command';

/** Runs kitt in-process and captures what it prints. */
async function kitt(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const ctx: CommandContext = {
    cwd: process.cwd(),
    env: {},
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  };
  const code = await runKitt(argv, ctx);
  return { code, stdout, stderr };
}

describe('kitt', () => {
  it('lists every command with a summary in --help and exits 0', async () => {
    const { code, stdout } = await kitt(['--help']);
    expect(code).toBe(0);
    for (const name of ['new', 'check', 'network']) expect(stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
  });

  it('prints the help and exits 2 when no command is given', async () => {
    const { code, stdout } = await kitt([]);
    expect(code).toBe(2);
    expect(stdout).toBe(renderHelp());
  });

  it('treats an unknown command as a usage error with exit 2', async () => {
    const { code, stderr } = await kitt(['deploy']);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown command 'deploy'");
    expect(stderr).toContain("See 'kitt --help'");
  });

  it('treats an unknown option as a usage error with exit 2 that points at the command help', async () => {
    const { code, stderr } = await kitt(['check', '--bogus']);
    expect(code).toBe(2);
    expect(stderr).toContain('--bogus');
    expect(stderr).toContain("See 'kitt check --help'");
  });

  it('prints a command usage for <command> --help and exits 0', async () => {
    const { code, stdout } = await kitt(['network', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: kitt network <flag-dir>');
  });

  it('refuses a missing positional argument with exit 2', async () => {
    const { code, stderr } = await kitt(['network']);
    expect(code).toBe(2);
    expect(stderr).toContain('expected at least 1 argument');
  });

  it('refuses an extra positional argument with exit 2', async () => {
    const { code, stderr } = await kitt(['network', 'a', 'b']);
    expect(code).toBe(2);
    expect(stderr).toContain("unexpected argument 'b'");
  });

  it('refuses an unknown --format with exit 2', async () => {
    const { code, stderr } = await kitt(['network', 'flags/x/y/z', '--format', 'svg']);
    expect(code).toBe(2);
    expect(stderr).toContain("--format must be one of table, json, mermaid, got 'svg'");
  });
});
