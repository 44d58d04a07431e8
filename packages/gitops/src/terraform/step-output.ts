/**
 * What a failed Terraform step may say about itself: its stderr and (for `init` and `plan`, never `show`) its
 * stdout, each cut to a size a record can hold. A run killed mid-plan or a provider stuck in a loop can print
 * megabytes; the record keeps the start (where Terraform puts its errors) and the end (where it stopped).
 */

/** Characters of one stream kept in a failure. @default 10000 */
export const STEP_OUTPUT_MAX_CHARS = 10_000;

/** `text`, or its start and end around a line that says how much was cut. */
export function capStepOutput(text: string, maxChars = STEP_OUTPUT_MAX_CHARS): string {
  if (text.length <= maxChars) return text;
  const tail = Math.floor(maxChars / 4);
  const head = maxChars - tail;
  const cut = text.length - head - tail;
  return `${text.slice(0, head)}\n… (${cut} of ${text.length} characters cut) …\n${text.slice(text.length - tail)}`;
}
