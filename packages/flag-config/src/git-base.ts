import { execFileSync } from 'node:child_process';
import { IssueCode, InputError } from './errors';
import { FLAGS_DIR, ORG_FILE, parseFlagFile } from './naming';

/**
 * Every `flags/*\/*\/*\/flag.yaml` of commit `ref`, and `flags/org.yaml`, by repo-relative path
 * (relative to `root`, which may sit below the git top level). One `git
 * cat-file --batch` reads them all, so a base of 250 FLAGs costs three
 * processes, not 250. A ref git does not know is an InputError (BASE_REF_INVALID).
 */
export function readFlagFilesAt(root: string, ref: string): Map<string, string> {
  const commit = resolveCommit(root, ref);
  const prefix = git(root, ['rev-parse', '--show-prefix']).toString('utf8').trim();
  const listing = git(root, ['ls-tree', '-r', '-z', '--name-only', '--full-name', commit, '--', FLAGS_DIR]).toString(
    'utf8',
  );
  const files = listing
    .split('\0')
    .filter((name) => name.startsWith(prefix))
    .map((name) => name.slice(prefix.length))
    .filter((name) => parseFlagFile(name) !== undefined || name === ORG_FILE);
  if (files.length === 0) return new Map();
  const batch = git(root, ['cat-file', '--batch'], files.map((file) => `${commit}:${prefix}${file}\n`).join(''));
  return new Map(readBatch(batch).map((text, i) => [files[i] as string, text]));
}

function resolveCommit(root: string, ref: string): string {
  const refuse = (why: string) =>
    new InputError([
      {
        code: IssueCode.BASE_REF_INVALID,
        file: '',
        path: '--base',
        message: `cannot check stability against ${JSON.stringify(ref)}: ${why}`,
        received: ref,
        expected:
          'a commit, branch or tag of this repository, e.g. origin/main (in CI, fetch it first: git fetch origin main)',
      },
    ]);
  if (ref === '' || ref.startsWith('-')) throw refuse('that is not a git revision');
  try {
    return git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])
      .toString('utf8')
      .trim();
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '')
      .trim()
      .split('\n')[0];
    throw refuse(stderr ? stderr.replace(/^fatal: /, '') : 'git does not know that revision');
  }
}

/** `<sha> blob <size>\n<content>\n` per object, in request order. */
function readBatch(output: Buffer): string[] {
  const texts: string[] = [];
  let offset = 0;
  while (offset < output.length) {
    const headerEnd = output.indexOf(0x0a, offset);
    const header = output.subarray(offset, headerEnd).toString('utf8').split(' ');
    const size = Number(header[2]);
    if (header[1] !== 'blob' || !Number.isInteger(size))
      throw new Error(`git cat-file: unexpected header ${header.join(' ')}`);
    texts.push(output.subarray(headerEnd + 1, headerEnd + 1 + size).toString('utf8'));
    offset = headerEnd + 1 + size + 1;
  }
  return texts;
}

function git(cwd: string, args: readonly string[], input?: string): Buffer {
  return execFileSync('git', args, { cwd, input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
}
