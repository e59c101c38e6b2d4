import type { ExitKind } from '../lifecycle/exit-kind.js';
import type { ExitRule } from '../lifecycle/role-profile.js';

/**
 * What follows each exit of a program started from the claude binary (the runner, the
 * orchestrator): both print the same fatal lines (roles/*\/classify-exit.ts read them), so most
 * rows are the same; each role's profile takes these and changes what is its own.
 */
export function claudeExitRules(program: string, credentialInput: string): Record<ExitKind, ExitRule> {
  const crash: ExitRule = { then: 'crash', reason: () => `check the ${program} log`, lastError: 'said' };
  return {
    clean: { then: 'evict', reason: ({ what }) => `${what} cleanly (drained or retired)`, lastError: 'keep' },
    // It ran fine and drained for a clean restart: an ordinary restart, not a crash.
    'token-expired': {
      then: 'restart',
      reason: () => `the ${program}'s token expired (it drained for a clean restart); restarting`,
      lastError: 'said',
    },
    // An outage of Anthropic or of the network: every workspace of the pool has it.
    unreachable: {
      then: 'outage',
      reason: ({ line, what }) => `cannot reach Anthropic (${line ?? what})`,
      lastError: 'said',
    },
    'not-enabled': {
      then: 'quarantine',
      reason: () =>
        "self-hosted environments are not enabled for this organization: an Owner turns on 'Allow self-hosted environments' on claude.ai (the secret is fine)",
      lastError: 'said',
    },
    'config-error': {
      then: 'quarantine',
      reason: ({ line }) => `the ${program} refused its configuration: ${line}`,
      lastError: 'said',
    },
    'secret-refused': {
      ...crash,
      reason: () => `the environment secret was refused: check ${credentialInput}`,
    },
    'work-order-refused': crash,
    crash,
  };
}
