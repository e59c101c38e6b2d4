import type { ProcessExit } from '../../process/supervised-process.js';
import { fatalPrefix, lastFatalAndError, ownTexts, runnerText } from '../claude-lines.js';

/**
 * Why the runner exited, read from its own lines: exit codes alone do not tell an outage from a
 * refused secret (both 1), nor a clean drain from an expired token (both 0). The lines are the
 * ones the real runner (2.1.330) prints; the stand-in runner prints the same.
 */
export type RunnerExitKind =
  /** Drained or retired: the runner is done. */
  | 'clean'
  /** Anthropic could not be reached (network, DNS, timeouts, 5xx): an outage, not a fault here. */
  | 'unreachable'
  /** The environment secret was refused. */
  | 'secret-refused'
  /** The organization has not enabled self-hosted environments: every workspace of the pool has it. */
  | 'not-enabled'
  /**
   * Its work order was refused at registration: spent, superseded, expired or refused, or its
   * session is no longer active or paused. Only a new spawn request brings a new order, so a
   * restart cannot help. The runner exits 1, or 0 where it is simply not needed.
   */
  | 'work-order-refused'
  /** Its poll token expired after running fine: it drained for a clean restart. */
  | 'token-expired'
  /** A configuration error (exit 2 with an `error:` line). */
  | 'config-error'
  /** Anything else: a crash. */
  | 'crash';

export interface RunnerExitVerdict {
  kind: RunnerExitKind;
  /** The runner's own line that says why (its fatal or error line), if it printed one. */
  line: string | undefined;
}

const transientFailure = /RegisterRunner attempt \d+ transient failure/;

/** Network-level causes of a failed request: the runner could not reach Anthropic. */
const unreachableCause =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|EPIPE|socket hang up|timed? ?out|Unable to connect|\b5\d\d\b/i;

export function classifyRunnerExit(exit: ProcessExit, lines: readonly string[]): RunnerExitVerdict {
  const { texts, fatal, error } = lastFatalAndError(lines, { fatalFromOwnLines: true });
  if (fatal) {
    const what = fatal.slice(fatalPrefix.length);
    if (what.startsWith('RegisterRunner refused because self-hosted environments are not enabled'))
      return { kind: 'not-enabled', line: fatal };
    // Every other `RegisterRunner refused because ...` is about the work order it registered with.
    if (what.startsWith('RegisterRunner refused because ')) return { kind: 'work-order-refused', line: fatal };
    if (what.startsWith('RegisterRunner auth failed')) return { kind: 'secret-refused', line: fatal };
    if (what.startsWith('poll auth failed — token expired or revoked')) return { kind: 'token-expired', line: fatal };
    if (what.startsWith('RegisterRunner failed:'))
      return { kind: unreachableCause.test(what) ? 'unreachable' : 'crash', line: fatal };
    return { kind: 'crash', line: fatal };
  }
  if (exit.exitCode === 2 && error) return { kind: 'config-error', line: error };
  if (exit.exitCode === 0 && !exit.spawnError) return { kind: 'clean', line: undefined };
  // Killed while still retrying its registration: the outage was under way.
  const lastTransient = [...texts].reverse().find((t) => transientFailure.test(t));
  if (lastTransient && !texts.some((t) => t.startsWith('Registered:')))
    return { kind: 'unreachable', line: lastTransient };
  return { kind: 'crash', line: error };
}

/** Where registration stands, from the lines printed so far. */
export interface RegistrationProgress {
  registered: boolean;
  runnerId: string | undefined;
  /** Failed registration attempts so far (the next attempt is this plus one). */
  failedAttempts: number;
  /** The runner's last line about a failed attempt. */
  lastFailure: string | undefined;
}

export function registrationProgress(lines: readonly string[]): RegistrationProgress {
  let progress: RegistrationProgress = {
    registered: false,
    runnerId: undefined,
    failedAttempts: 0,
    lastFailure: undefined,
  };
  for (const text of lines.map(runnerText)) {
    const registered = /^Registered: runner_id=(\S+)/.exec(text);
    if (registered) {
      progress = { registered: true, runnerId: registered[1], failedAttempts: 0, lastFailure: undefined };
      continue;
    }
    const attempt = /^RegisterRunner attempt (\d+) transient failure/.exec(text);
    if (attempt) progress = { ...progress, failedAttempts: Number(attempt[1]), lastFailure: text };
  }
  return progress;
}

/**
 * The runner's own line that says a session started (`Picked up session <id>`, `[runner:session]
 * <id> child spawned`), if it printed one: evidence of a session that needs no record in the drop
 * box (a drop box on a full disk or with no free inode cannot take one; issue 28). Only lines
 * with its time prefix count, as for its reasons.
 */
export function sessionStartLine(lines: readonly string[]): string | undefined {
  return ownTexts(lines).find(
    (text) => /^Picked up session \S+/.test(text) || /^\[runner:session\] \S+ child spawned/.test(text),
  );
}
