import * as path from 'node:path';
import { FLAG_FILE_NAME, formatIssues, type InputIssue, type KittError } from '@kitt/flag-config';

/**
 * The one way a failure reads, for every command: a `✗` line naming the
 * command, the message and its stable code; for bad input, each file's
 * problems under a `✗` line of their own first. Input is checked before
 * anything is written, so a list of input problems always means nothing was.
 */
export function renderFailure(error: KittError, command: string | undefined): string {
  const who = command ? `kitt ${command}` : 'kitt';
  if (error.issues.length === 0) return `✗ ${who}: ${error.message} [${error.code}]\n`;
  const files = [...new Set(error.issues.map((issue) => issue.file))].sort();
  const blocks = files.map((file) => `✗ ${label(file)}\n${indent(error.issues.filter((i) => i.file === file))}\n`);
  const count = `${error.issues.length} problem(s) in ${files.length} file(s)`;
  return `${blocks.join('')}✗ ${who}: ${count}: nothing written. [${error.code}]\n`;
}

/** A FLAG by its directory, any other file by its path. */
function label(file: string): string {
  if (file === '') return '(input)';
  return path.posix.basename(file) === FLAG_FILE_NAME ? path.posix.dirname(file) : file;
}

function indent(issues: readonly InputIssue[]): string {
  return formatIssues(issues).replace(/^/gm, '  ');
}
