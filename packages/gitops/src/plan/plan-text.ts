import { PlanFormatError } from './errors';

/**
 * Decodes plan JSON bytes as `terraform show -json > plan.json` may have written them: UTF-8 with or without a
 * BOM, or UTF-16 (little- or big-endian) as PowerShell's `>` writes it, with a BOM or without one (JSON starts with
 * an ASCII character, so a zero byte in the first pair gives the byte order away).
 */
export function decodePlanText(input: Buffer | string): string {
  if (typeof input === 'string') return input.replace(/^\uFEFF/, '');
  const [b0, b1] = [input[0], input[1]];
  if (b0 === 0xef && b1 === 0xbb && input[2] === 0xbf) return input.subarray(3).toString('utf8');
  if (b0 === 0xff && b1 === 0xfe) return input.subarray(2).toString('utf16le');
  if (b0 === 0xfe && b1 === 0xff) return utf16be(input.subarray(2));
  if (input.length >= 2 && b0 !== 0 && b1 === 0) return input.toString('utf16le');
  if (input.length >= 2 && b0 === 0 && b1 !== 0) return utf16be(input);
  return input.toString('utf8');
}

function utf16be(bytes: Buffer): string {
  const swapped = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
  return swapped.swap16().toString('utf16le');
}

/**
 * Decodes and parses plan JSON text; what it is (a plan of a known format) is checked by `summarizePlan`. A parse
 * error says where, never what: `JSON.parse`'s own message quotes the text around the fault, and plan text holds
 * sensitive values in clear.
 */
export function parsePlanText(input: Buffer | string): unknown {
  const text = decodePlanText(input);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new PlanFormatError(
      'PLAN_NOT_JSON',
      `not JSON${position === undefined ? '' : ` (the fault is at character ${position})`}`,
      '',
      undefined,
      'the output of `terraform show -json <planfile>` (UTF-8 or UTF-16 text)',
    );
  }
}
