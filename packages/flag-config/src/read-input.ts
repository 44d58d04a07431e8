import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats } from 'node:fs';
import * as path from 'node:path';
import { IssueCode } from './errors';
import type { InputIssue } from './types';

/**
 * The one way flag-config reads an input file (flag.yaml, org.yaml): the file
 * system is as hostile as the text. Nothing is followed or parsed before it is
 * known to be a small, regular, UTF-8 file inside the repository.
 */

/** Largest flag.yaml or org.yaml read: real ones are a few hundred bytes, and parse cost grows with size. */
export const MAX_INPUT_FILE_BYTES = 256 * 1024;

/** The text of a file, or why it cannot be read (never both). */
export type InputFileRead =
  | { readonly text: string; readonly issues?: undefined }
  | { readonly text?: undefined; readonly issues: readonly InputIssue[] };

/**
 * Reads repo-relative `file` under `root`. Refuses a symbolic link at any step
 * of `file`'s path (SYMLINK_REFUSED), anything but a regular file
 * (FILE_NOT_REGULAR), a file over MAX_INPUT_FILE_BYTES (FILE_TOO_LARGE, before
 * reading it) and text that is not UTF-8 (FILE_ENCODING). A missing file gets
 * `notFound`'s issue.
 */
export function readInputFile(root: string, file: string, notFound: (file: string) => InputIssue): InputFileRead {
  const refuse = (code: IssueCode, message: string, expected: string): InputFileRead => ({
    issues: [{ code, file, path: '', message, expected }],
  });
  const segments = file.split('/');
  for (let i = 1; i <= segments.length; i += 1) {
    const step = segments.slice(0, i).join('/');
    let stats;
    try {
      stats = lstatSync(path.join(root, step));
    } catch (error) {
      if (isErrno(error, 'ENOENT') || isErrno(error, 'ENOTDIR')) return { issues: [notFound(file)] };
      return unreadable(file, error);
    }
    if (stats.isSymbolicLink()) {
      return refuse(
        IssueCode.SYMLINK_REFUSED,
        `${step} is a symbolic link: kitt reads only real files and directories inside the repository`,
        'a regular file or directory in its place (copy the content, do not link to it)',
      );
    }
    if (i < segments.length && !stats.isDirectory()) return { issues: [notFound(file)] };
    if (i === segments.length && !stats.isFile()) {
      return refuse(
        IssueCode.FILE_NOT_REGULAR,
        `${file} is ${kindOf(stats)}, not a file`,
        `a regular file named ${path.posix.basename(file)}`,
      );
    }
  }
  let buffer: Buffer;
  try {
    buffer = readCapped(path.join(root, file));
  } catch (error) {
    if (error instanceof TooLarge) {
      return refuse(
        IssueCode.FILE_TOO_LARGE,
        `${file} is ${error.size} bytes; kitt reads at most ${MAX_INPUT_FILE_BYTES} bytes (${MAX_INPUT_FILE_BYTES / 1024} KiB) of it`,
        `a file under ${MAX_INPUT_FILE_BYTES / 1024} KiB`,
      );
    }
    return unreadable(file, error);
  }
  return decodeInput(buffer, file);
}

/** UTF-8 text of `buffer`, or FILE_ENCODING naming the file (UTF-16 byte order marks, NUL bytes, invalid UTF-8). */
export function decodeInput(buffer: Uint8Array, file: string): InputFileRead {
  const encoding = (why: string): InputFileRead => ({
    issues: [
      {
        code: IssueCode.FILE_ENCODING,
        file,
        path: '',
        message: `${file} is not UTF-8 text: ${why}`,
        expected: 'UTF-8 text (save the file as UTF-8, without a UTF-16 byte order mark)',
      },
    ],
  });
  if ((buffer[0] === 0xff && buffer[1] === 0xfe) || (buffer[0] === 0xfe && buffer[1] === 0xff)) {
    return encoding('it starts with a UTF-16 byte order mark');
  }
  if (buffer.includes(0)) return encoding('it holds NUL bytes (UTF-16 or binary)');
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buffer) };
  } catch {
    return encoding('it holds byte sequences that are not UTF-8');
  }
}

/** The issue for a text that came from elsewhere (a git commit) and is over the cap. */
export function tooLargeText(text: string, file: string): InputIssue | undefined {
  if (text.length <= MAX_INPUT_FILE_BYTES) return undefined;
  return {
    code: IssueCode.FILE_TOO_LARGE,
    file,
    path: '',
    message:
      `${file} is ${Buffer.byteLength(text)} bytes; ` +
      `kitt reads at most ${MAX_INPUT_FILE_BYTES} bytes (${MAX_INPUT_FILE_BYTES / 1024} KiB) of it`,
    expected: `a file under ${MAX_INPUT_FILE_BYTES / 1024} KiB`,
  };
}

class TooLarge extends Error {
  constructor(readonly size: number) {
    super(`file of ${size} bytes`);
  }
}

/** Opens without following a link (the last step could have been swapped since lstat) and reads at most the cap. */
function readCapped(absolute: string): Buffer {
  const fd = openSync(absolute, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
    if (stats.size > MAX_INPUT_FILE_BYTES) throw new TooLarge(stats.size);
    const buffer = Buffer.alloc(MAX_INPUT_FILE_BYTES + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      // Grown since fstat: still over the cap.
      if (length > MAX_INPUT_FILE_BYTES) throw new TooLarge(length);
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

function unreadable(file: string, error: unknown): InputFileRead {
  const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
  return {
    issues: [
      {
        code: IssueCode.FILE_UNREADABLE,
        file,
        path: '',
        message: `${file} cannot be read (${code})`,
        expected: 'a regular file kitt may read',
      },
    ],
  };
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

export function isErrno(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}
