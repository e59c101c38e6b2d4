import type { ExitKind } from '../../lifecycle/exit-kind.js';
import type { ProcessExit } from '../../process/supervised-process.js';
import { fatalPrefix, lastFatalAndError } from '../claude-lines.js';

/**
 * Why the orchestrator exited, from its own lines (the pinned 2.1.330, measured with the
 * Anthropic double). It never exits for an outage: it retries its poll for as long as Anthropic
 * cannot be reached (`poll failed: ... retrying in Ns`), and its /healthz says `connected: false`.
 */
export function classifyOrchestratorExit(
  exit: ProcessExit,
  lines: readonly string[],
): { kind: ExitKind; line: string | undefined } {
  const { fatal, error } = lastFatalAndError(lines);
  if (fatal) {
    const what = fatal.slice(fatalPrefix.length);
    // The secret is refused, or is not an environment secret at all (no pool in it).
    if (/^PollSpawnHints rejected \(HTTP 40[13]\)/.test(what) || /environment secret is missing/.test(what)) {
      return { kind: 'secret-refused', line: fatal };
    }
    // 400, 404, 426 (this orchestrator is too old): nothing a restart changes.
    if (/^PollSpawnHints rejected \(HTTP 4\d\d\)/.test(what)) return { kind: 'config-error', line: fatal };
    return { kind: 'crash', line: fatal };
  }
  if (exit.exitCode === 2 && error) return { kind: 'config-error', line: error };
  if (exit.exitCode === 0 && !exit.spawnError) return { kind: 'clean', line: undefined };
  return { kind: 'crash', line: error };
}
