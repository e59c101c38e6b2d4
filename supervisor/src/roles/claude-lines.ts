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

/** The last fatal line and the last error line among the binary's lines (prefixes stripped). */
export function lastFatalAndError(lines: readonly string[]): {
  texts: string[];
  fatal: string | undefined;
  error: string | undefined;
} {
  const texts = lines.map(runnerText);
  const reversed = [...texts].reverse();
  return {
    texts,
    fatal: reversed.find((t) => t.startsWith(fatalPrefix)),
    error: reversed.find((t) => t.startsWith(errorPrefix)),
  };
}
