/**
 * The lines of the claude binary (the runner, the orchestrator), as both print them: each with an
 * `<ISO time> [self-hosted-runner] ` prefix, a fatal one starting `[runner:fatal] `, a
 * configuration error `error: ` (exit 2).
 */
export const fatalPrefix = '[runner:fatal] ';
export const errorPrefix = 'error: ';

/** Strips the `<ISO time> [self-hosted-runner] ` prefix that the binary puts on each line. */
export function runnerText(line: string): string {
  return line.replace(/^\S+ \[self-hosted-runner\] /, '').trim();
}

/** A line that the binary wrote itself: it prefixes each of its own with its time and name. */
const ownLine = /^\S+ \[self-hosted-runner\] /;

/** The binary's own lines among them (prefixes stripped): what others wrote through it left out. */
export function ownTexts(lines: readonly string[]): string[] {
  return lines.filter((line) => ownLine.test(line)).map(runnerText);
}

/**
 * The last fatal line and the last error line among the binary's lines (prefixes stripped).
 * `fatalFromOwnLines`: a fatal line counts only when the binary wrote it, for a binary that also
 * echoes others' output (the runner echoes a session's stderr raw when the session ends: a session
 * that prints a newline and then `[runner:fatal] ...` would otherwise speak for the runner;
 * measured with 2.1.330 in tests/runner/session-user.test.ts).
 */
export function lastFatalAndError(
  lines: readonly string[],
  options: { fatalFromOwnLines?: boolean } = {},
): { texts: string[]; fatal: string | undefined; error: string | undefined } {
  const texts = lines.map(runnerText);
  const own = options.fatalFromOwnLines ? ownTexts(lines) : texts;
  return {
    texts,
    fatal: [...own].reverse().find((t) => t.startsWith(fatalPrefix)),
    error: [...texts].reverse().find((t) => t.startsWith(errorPrefix)),
  };
}
