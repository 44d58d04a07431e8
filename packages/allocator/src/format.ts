/** 63750 → "63,750". Locale-free, so output is byte-identical everywhere. */
export function formatCount(value: number): string {
  const sign = value < 0 ? '-' : '';
  const digits = String(Math.abs(value));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Longest echo of an input string in a message: a hostile file can hold a value of megabytes. */
export const ECHO_LIMIT = 200;

/** Short text as it is; longer text quoted, cut to ECHO_LIMIT characters, with its length. */
export function shortText(text: string): string {
  return text.length <= ECHO_LIMIT ? text : `${JSON.stringify(text.slice(0, ECHO_LIMIT))}… (${text.length} characters)`;
}
