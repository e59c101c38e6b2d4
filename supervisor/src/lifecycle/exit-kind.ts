/**
 * Why the supervised program exited, as the policy tells cases apart: a role reads it from the
 * program's own lines (roles/runner/classify-exit.ts), since exit codes alone do not tell an
 * outage from a refused credential (both 1), nor a clean drain from an expired token (both 0).
 */
export type ExitKind =
  /** Drained or retired: the program is done. */
  | 'clean'
  /** Anthropic could not be reached (network, DNS, timeouts, 5xx): an outage, not a fault here. */
  | 'unreachable'
  /** The environment secret was refused. */
  | 'secret-refused'
  /** The organization has not enabled self-hosted environments: every workspace of the pool has it. */
  | 'not-enabled'
  /** Its poll token expired after running fine: it drained for a clean restart. */
  | 'token-expired'
  /** A configuration error (exit 2 with an `error:` line). */
  | 'config-error'
  /**
   * The work order was refused at registration (spent, superseded, expired, or its session gone):
   * single-use and short-lived, so a restart can never help.
   */
  | 'work-order-refused'
  /** Anything else: a crash. */
  | 'crash';

/** Every exit kind, for the tables that must have a row for each (tests/supervisor/unit/roles/registry.test.ts). */
export const exitKinds = [
  'clean',
  'unreachable',
  'secret-refused',
  'not-enabled',
  'token-expired',
  'config-error',
  'work-order-refused',
  'crash',
] as const satisfies readonly ExitKind[];
