import { decideTool, findOnPath, missingToolMessage } from './__fixtures__/debian-tool';

const ABSENT = { command: 'kitt-no-such-tool', debianPackage: 'kitt-no-such-package' };

describe('decideTool', () => {
  it('runs a tool that is on PATH with its absolute path', () => {
    expect(decideTool({ command: 'sh', debianPackage: 'dash' })).toEqual({ action: 'run', path: findOnPath('sh') });
  });

  it('skips with a message naming the Debian package when the tool is absent outside CI', () => {
    expect(decideTool(ABSENT, { PATH: process.env['PATH'] })).toEqual({
      action: 'skip',
      message: missingToolMessage(ABSENT),
    });
    expect(missingToolMessage(ABSENT)).toContain("Debian package 'kitt-no-such-package'");
  });

  it('fails when the tool is absent under CI=true', () => {
    expect(decideTool(ABSENT, { PATH: process.env['PATH'], CI: 'true' })).toMatchObject({ action: 'fail' });
  });
});
