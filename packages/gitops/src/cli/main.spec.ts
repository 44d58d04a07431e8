import { runKitt, renderHelp } from './main';
import type { Command, CommandContext } from './command';
import type { CommandLoaders } from './registry';
import { runKittIn } from './__fixtures__/run-kitt';
import { InputError, KittError } from '@kitt/flag-config';

const kitt = (argv: string[]) => runKittIn(argv);

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

describe('kitt --help', () => {
  it('lists the commands without loading any of them', async () => {
    const load = jest.fn();
    const { code, stdout } = await runKittIn(['--help'], {
      loaders: [{ name: 'synth', summary: 'Synthesize FLAGs.', load }],
    });
    expect(code).toBe(0);
    expect(stdout).toContain('  synth  Synthesize FLAGs.');
    expect(load).not.toHaveBeenCalled();
  });
});

describe('kitt error reporting', () => {
  function failing(error: Error): CommandLoaders {
    const command: Command = { name: 'fail', usage: 'Usage: kitt fail', options: {}, run: () => Promise.reject(error) };
    return [{ name: 'fail', summary: 'fails', load: () => command }];
  }
  async function run(loaders: CommandLoaders) {
    let stderr = '';
    const ctx: CommandContext = { cwd: process.cwd(), env: {}, stdout: () => undefined, stderr: (t) => (stderr += t) };
    return { code: await runKitt(['fail'], ctx, loaders), stderr };
  }

  it('reports a KittError as one line naming the command, with its code and exit 1, without a stack trace', async () => {
    const error = new KittError({
      code: 'SYNTH_MANIFEST_MISSING',
      kind: 'external',
      message: 'the manifest is missing',
    });
    const { code, stderr } = await run(failing(error));
    expect(code).toBe(1);
    expect(stderr).toBe('✗ kitt fail: the manifest is missing [SYNTH_MANIFEST_MISSING]\n');
  });

  it('reports bad input and a failure outside kitt alike, both with exit 1', async () => {
    const input = await run(failing(new KittError({ code: 'A_CODE', kind: 'input', message: 'wrong' })));
    const external = await run(failing(new KittError({ code: 'B_CODE', kind: 'external', message: 'down' })));
    expect([input.code, external.code]).toEqual([1, 1]);
  });

  it('treats an error that only looks coded as a bug and keeps its stack', async () => {
    const error = Object.assign(new Error('surprise'), { code: 'LOOKS_CODED' });
    await expect(run(failing(error))).rejects.toBe(error);
  });

  it('reports input errors with every issue and exit 1', async () => {
    const issue = {
      code: 'VPC_NOT_SLASH16',
      file: 'flags/a/b/c/flag.yaml',
      path: 'network.vpcCidr',
      message: 'not a /16',
    };
    const { code, stderr } = await run(failing(new InputError([issue])));
    expect(code).toBe(1);
    expect(stderr).toBe(
      [
        '✗ flags/a/b/c',
        '  flags/a/b/c/flag.yaml network.vpcCidr: not a /16 [VPC_NOT_SLASH16]',
        '✗ kitt fail: 1 problem(s) in 1 file(s): nothing written. [INPUT_INVALID]',
        '',
      ].join('\n'),
    );
  });

  it('lets an unexpected error through, so a bug keeps its stack trace', async () => {
    await expect(run(failing(new TypeError('undefined is not a function')))).rejects.toThrow(TypeError);
  });
});
