import type { ExitKind } from './exit-kind.js';

/**
 * What follows an exit of one kind, once the lock, a stop and the phase have had their say
 * (lifecycle/on-exit.ts): as systemd keeps `Restart=` apart from why a service ended and from the
 * delay, the policy keeps the delay and the crash-loop count, and each role's profile says, per
 * exit kind, which of these follows.
 */
export type ExitThen =
  /** The program is done: a single-use workspace self-evicts (a long-lived host is quarantined instead). */
  | 'evict'
  /** It ran fine (a clean exit of a long-lived host, an expired token): restart at the first delay. */
  | 'restart'
  /** Anthropic cannot be reached: retry with a capped backoff as long as it lasts, never a crash loop. */
  | 'outage'
  /** A restart cannot help (an organization setting, a configuration error): quarantine at once. */
  | 'quarantine'
  /** A crash: restart with backoff; a crash loop is quarantined. */
  | 'crash';

/** What the reason's words may use: what happened, in the policy's words, and the program's own line. */
export interface ExitWords {
  /** `runner exited with code 1 after 3 s` */
  what: string;
  /** `what`, with the program's line when it printed one. */
  said: string;
  line: string | undefined;
}

export interface ExitRule {
  then: ExitThen;
  /**
   * The reason in the dashboard's words (for `outage`, what cannot be reached; for `crash`, the
   * hint that ends a crash loop's reason).
   */
  reason: (words: ExitWords) => string;
  /** What becomes the last error: the whole exit (`said`), it only when the program printed a line, or nothing new. */
  lastError: 'said' | 'line' | 'keep';
}

/**
 * What the policy needs to know of the supervised program and the way it runs: plain data, so
 * that one policy serves the runner in pool mode, the runner in on-demand mode, and the
 * orchestrator (each role defines its profile: roles/<name>/<name>-profile.ts).
 */
export interface RoleProfile {
  /** How reasons name the program: `runner` or `orchestrator`. */
  program: string;
  /**
   * A single-use host: it locks to the first user, and the workspace self-evicts when the program
   * is done (the runner). A long-lived host restarts it instead and never deletes itself.
   */
  singleUse: boolean;
  /** Restarted after an exit that is not final (pool mode); on-demand runners never are. */
  restartable: boolean;
  /** Waits for a work order before it starts anything (an on-demand runner workspace). */
  awaitsOrder: boolean;
  /** The input to check when the program's credential is refused (`pool_secret`). */
  credentialInput: string;
  /** What a refused credential check at boot means, in the reason. */
  credentialRefused: string;
  /** What follows each kind of exit: a row per kind. */
  exits: Readonly<Record<ExitKind, ExitRule>>;
}
