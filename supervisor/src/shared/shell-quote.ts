/**
 * Quotes a string for POSIX sh as one word: single quotes, with each embedded single quote
 * written as '\'' . Safe for any byte except NUL, which no path or argument can hold.
 */
export function shellQuote(value: string): string {
  if (value.includes('\0')) {
    throw new TypeError('a shell word cannot contain a NUL byte');
  }
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
