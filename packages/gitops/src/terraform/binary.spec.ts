import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { findExecutable, locateTerraform, terraformCommand } from './binary';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kitt-binary-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function file(dir: string, name: string, mode: number): string {
  mkdirSync(join(root, dir), { recursive: true });
  const path = join(root, dir, name);
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, mode);
  return path;
}

describe('terraformCommand', () => {
  it('is terraform when KITT_TERRAFORM is unset', () => expect(terraformCommand({})).toBe('terraform'));
  it('is terraform when KITT_TERRAFORM is blank', () =>
    expect(terraformCommand({ KITT_TERRAFORM: '  ' })).toBe('terraform'));
  it('is what KITT_TERRAFORM names, a name or a path', () => {
    expect(terraformCommand({ KITT_TERRAFORM: 'tofu' })).toBe('tofu');
    expect(terraformCommand({ KITT_TERRAFORM: '/opt/tofu/bin/tofu' })).toBe('/opt/tofu/bin/tofu');
  });
});

describe('findExecutable', () => {
  it('finds a name in the first PATH directory that has it executable', () => {
    file('a', 'tofu', 0o644);
    const wanted = file('b', 'tofu', 0o755);
    file('c', 'tofu', 0o755);
    const PATH = ['a', 'b', 'c'].map((d) => join(root, d)).join(delimiter);
    expect(findExecutable('tofu', { PATH })).toBe(wanted);
  });

  it('finds nothing when no PATH directory has the name', () => {
    expect(findExecutable('terraform', { PATH: join(root, 'nowhere') })).toBeUndefined();
  });

  it('takes a path relative to the working directory, and does not look it up on PATH', () => {
    const tool = file('tools', 'terraform', 0o755);
    expect(findExecutable('tools/terraform', { PATH: '' }, root)).toBe(tool);
    expect(findExecutable('./nope/terraform', { PATH: join(root, 'tools') }, root)).toBeUndefined();
  });

  it('refuses a file that is not executable', () => {
    const path = file('x', 'terraform', 0o644);
    expect(findExecutable(path, {})).toBeUndefined();
  });
});

describe('locateTerraform', () => {
  it('resolves KITT_TERRAFORM on PATH', () => {
    const tofu = file('bin', 'tofu', 0o755);
    expect(locateTerraform({ KITT_TERRAFORM: 'tofu', PATH: join(root, 'bin') })).toEqual({
      command: 'tofu',
      path: tofu,
    });
  });

  it('reports terraform as missing when it is not on PATH', () => {
    expect(locateTerraform({ PATH: join(root, 'bin') })).toEqual({ command: 'terraform', path: undefined });
  });
});
