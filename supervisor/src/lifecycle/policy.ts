import type { RestartPolicyConfig } from '../config/config.js';
import type { RunnerExitKind } from '../roles/runner/classify-exit.js';
import { restartDelayMs } from './backoff.js';

/**
 * The lifecycle policy as a pure state machine: (state, event) -> (state, effects). All I/O
 * (processes, timers, files, HTTP) lives in the supervisor that executes the effects.
 */
export type Phase =
  | 'starting'
  | 'running'
  | 'backoff'
  /** Anthropic cannot be reached: retrying with a capped backoff for as long as the outage lasts. */
  | 'unreachable'
  | 'quarantined'
  | 'draining'
  | 'evicting'
  | 'evicted'
  | 'eviction-failed'
  | 'stopped';

export interface PolicyState {
  phase: Phase;
  /** Sticky: from the first session on, this workspace belongs to one user. */
  locked: boolean;
  runnerAlive: boolean;
  /** Runner starts after the first. */
  restarts: number;
  /** Consecutive crashed runs shorter than the short-run threshold. */
  shortRunsInRow: number;
  /** Consecutive runs that could not reach Anthropic (they never count toward a crash loop). */
  unreachableInRow: number;
  stopRequested: boolean;
  /** Why we are in this phase, for the dashboard and the log. */
  reason: string;
  lastError: string | undefined;
  /** Why the supervisor killed the runner that is still alive (it stopped working, or outlived its cap). */
  killReason?: string;
  /** When the outage of Anthropic began (ms since epoch): kept across runner restarts, shown while it lasts. */
  unreachableSince?: number;
}

export interface PolicyOptions extends RestartPolicyConfig {
  quarantineMs: number;
}

export type PolicyEvent =
  | {
      type: 'boot';
      locked: boolean;
      alreadyEvicted: boolean;
      preflightProblems: string[];
      lifetimeOver: boolean;
      /** A runner of an earlier supervisor (killed outright) is still alive and is watched instead. */
      adoptedRunner: boolean;
      /** Coder refused the self-evict token's check: what to add to it. */
      tokenProblem?: string;
      /** An outage of Anthropic that the previous supervisor saw: since when, and how many runs it cost. */
      outage?: { since: number; tries: number };
    }
  | { type: 'runner-spawned' }
  | {
      type: 'runner-exited';
      exitCode: number | undefined;
      signal: string | undefined;
      runtimeMs: number;
      spawnError: string | undefined;
      /** Why, from the runner's own lines (runner/classify-exit.ts). */
      kind: RunnerExitKind;
      /** The runner's line that says so, when it printed one. */
      line: string | undefined;
      /** When it exited (ms since epoch). */
      at?: number;
      /** It exited at the --retire-at of its locked-lifetime cap (not of max_lifetime_minutes). */
      retiredAtCap?: boolean;
    }
  /** The runner is alive but no longer works: stopped (state T), /healthz silent, or its polls stale. */
  | { type: 'runner-unresponsive'; reason: string }
  /** The runner outlived the --retire-at of its locked-lifetime cap by the grace it had to release its sessions. */
  | { type: 'locked-cap-elapsed'; capText: string }
  /** The runner registered with Anthropic: an outage is over. */
  | { type: 'runner-registered' }
  | { type: 'lock-observed'; source: string }
  | { type: 'backoff-elapsed' }
  | { type: 'quarantine-elapsed' }
  | { type: 'lifetime-elapsed' }
  | { type: 'stop-requested' }
  | { type: 'eviction-finished'; succeeded: boolean; message: string };

export type Effect =
  | { type: 'spawn-runner' }
  | { type: 'schedule-restart'; delayMs: number }
  | { type: 'schedule-quarantine'; delayMs: number }
  | { type: 'cancel-timers' }
  | { type: 'drain-runner' }
  /** SIGKILL to the runner's group and to every process of the runner user. */
  | { type: 'kill-runner'; reason: string }
  | { type: 'persist-lock'; source: string }
  | { type: 'evict'; reason: string }
  | { type: 'exit'; code: number };

export interface Transition {
  state: PolicyState;
  effects: Effect[];
}

export const initialPolicyState: PolicyState = {
  phase: 'starting',
  locked: false,
  runnerAlive: false,
  restarts: 0,
  shortRunsInRow: 0,
  unreachableInRow: 0,
  stopRequested: false,
  reason: 'supervisor starting',
  lastError: undefined,
};

const finalPhases: readonly Phase[] = ['evicted', 'eviction-failed', 'stopped'];

export function isFinal(phase: Phase): boolean {
  return finalPhases.includes(phase);
}

function evict(state: PolicyState, reason: string, extra: Partial<PolicyState> = {}): Transition {
  return {
    state: { ...state, ...extra, phase: 'evicting', reason },
    effects: [{ type: 'cancel-timers' }, { type: 'evict', reason }],
  };
}

function describeExit(event: Extract<PolicyEvent, { type: 'runner-exited' }>, killReason?: string): string {
  if (event.spawnError) return `could not be started: ${event.spawnError}`;
  if (killReason) return `${killReason}, so the supervisor killed it`;
  if (event.signal) return `was killed by ${event.signal}`;
  return `exited with code ${event.exitCode ?? 'unknown'}`;
}

function quarantine(
  state: PolicyState,
  reason: string,
  options: PolicyOptions,
  /** What will really happen, when a timed self-eviction cannot (the token cannot delete). */
  instead?: string,
): Transition {
  if (instead) {
    return {
      state: { ...state, phase: 'quarantined', reason: `${reason}; ${instead}`, lastError: state.lastError ?? reason },
      effects: [{ type: 'cancel-timers' }],
    };
  }
  const wait =
    options.quarantineMs >= 60_000
      ? `${Math.round(options.quarantineMs / 60_000)} min`
      : `${Math.round(options.quarantineMs / 1000)} s`;
  const tail =
    options.quarantineMs > 0
      ? `; self-evicting in ${wait} unless fixed`
      : '; quarantine is off (0), so it stays until someone acts';
  return {
    state: { ...state, phase: 'quarantined', reason: `${reason}${tail}`, lastError: state.lastError ?? reason },
    effects:
      options.quarantineMs > 0
        ? [{ type: 'cancel-timers' }, { type: 'schedule-quarantine', delayMs: options.quarantineMs }]
        : [{ type: 'cancel-timers' }],
  };
}

const seconds = (ms: number): number => Math.round(ms / 1000);

function crashLoopHint(kind: RunnerExitKind): string {
  return kind === 'secret-refused' ? 'the environment secret was refused: check pool_secret' : 'check the runner log';
}

/** A restart after a run that was fine: no crash counted, no outage, the first delay. */
function freshRestart(state: PolicyState, why: string, options: PolicyOptions): Transition {
  return {
    state: {
      ...state,
      phase: 'backoff',
      shortRunsInRow: 0,
      unreachableInRow: 0,
      unreachableSince: undefined,
      reason: `${why} in about ${seconds(options.initialDelayMs)} s`,
    },
    effects: [{ type: 'schedule-restart', delayMs: options.initialDelayMs }],
  };
}

function onRunnerExited(
  state: PolicyState,
  event: Extract<PolicyEvent, { type: 'runner-exited' }>,
  options: PolicyOptions,
): Transition {
  const exited: PolicyState = { ...state, runnerAlive: false, killReason: undefined };
  const what = `runner ${describeExit(event, state.killReason)} after ${seconds(event.runtimeMs)} s`;
  const said = event.line && !state.killReason ? `${what}: ${event.line}` : what;
  if (state.phase === 'evicting' || isFinal(state.phase)) return { state: exited, effects: [] };
  if (state.stopRequested) {
    return {
      state: { ...exited, phase: 'stopped', reason: `stopped on request (${what})` },
      effects: [{ type: 'exit', code: 0 }],
    };
  }
  if (state.locked) return evict(exited, `${what}; the workspace is locked to a user, so it is never reused`);
  if (state.phase === 'draining') return evict(exited, `${what} after its maximum lifetime`);

  if (state.killReason) {
    // Unlocked: an ordinary crash (below), restarted with backoff; its reason is the supervisor's.
    event = { ...event, kind: 'crash', line: state.killReason };
  }
  switch (event.kind) {
    case 'clean':
      if (event.retiredAtCap) {
        // Idle all its life: a fresh runner (with a fresh cap) takes its place, no eviction.
        return freshRestart(
          exited,
          'the runner retired at its lifetime cap before any session; starting a fresh one',
          options,
        );
      }
      return evict(exited, `${what} cleanly (drained or retired)`);
    case 'token-expired':
      // It ran fine and drained for a clean restart: an ordinary restart, not a crash.
      return freshRestart(
        { ...exited, lastError: said },
        "the runner's token expired (it drained for a clean restart); restarting",
        options,
      );
    case 'unreachable': {
      // An outage of Anthropic or of the network: every workspace of the pool has it, so it is
      // never a crash loop; retry with a capped backoff for as long as it lasts.
      const unreachableInRow = state.unreachableInRow + 1;
      const delayMs = restartDelayMs(unreachableInRow, options);
      return {
        state: {
          ...exited,
          phase: 'unreachable',
          unreachableInRow,
          unreachableSince: state.unreachableSince ?? event.at,
          lastError: said,
          reason: `cannot reach Anthropic (${event.line ?? what}); retrying in about ${seconds(delayMs)} s`,
        },
        effects: [{ type: 'schedule-restart', delayMs }],
      };
    }
    case 'not-enabled':
      return quarantine(
        { ...exited, lastError: said },
        "self-hosted environments are not enabled for this organization: an Owner turns on 'Allow self-hosted environments' on claude.ai (the secret is fine)",
        options,
      );
    case 'config-error':
      return quarantine({ ...exited, lastError: said }, `the runner refused its configuration: ${event.line}`, options);
    case 'secret-refused':
    case 'crash':
      break;
  }

  // A crash before the lock: restart with backoff, unless it is a crash loop.
  const shortRun = event.runtimeMs < options.shortRunMs;
  const shortRunsInRow = shortRun ? state.shortRunsInRow + 1 : 0;
  const crashed: PolicyState = {
    ...exited,
    shortRunsInRow,
    unreachableInRow: 0,
    unreachableSince: undefined,
    lastError: said,
  };
  if (shortRunsInRow >= options.crashLoopThreshold) {
    return quarantine(
      // The runner's own line says most; without one, the crash loop itself is the error.
      { ...crashed, lastError: event.line ? said : undefined },
      `crash loop: the runner failed ${shortRunsInRow} times in a row within ${seconds(options.shortRunMs)} s of starting; ${crashLoopHint(event.kind)}`,
      options,
    );
  }
  const delayMs = restartDelayMs(shortRunsInRow, options);
  return {
    state: { ...crashed, phase: 'backoff', reason: `${what}; restarting in about ${seconds(delayMs)} s` },
    effects: [{ type: 'schedule-restart', delayMs }],
  };
}

export function transition(state: PolicyState, event: PolicyEvent, options: PolicyOptions): Transition {
  switch (event.type) {
    case 'boot': {
      if (event.alreadyEvicted) {
        // Accepted is not done: a delete build can fail on the server, and the workspace start
        // again. Confirm with Coder (only a pending, running or succeeded delete counts), and post
        // a new delete if it did not go through.
        return evict(
          state,
          'an earlier self-eviction was accepted or under way; confirming with Coder that the delete went through',
          { locked: event.locked },
        );
      }
      if (event.adoptedRunner) {
        return {
          state: {
            ...state,
            phase: 'running',
            runnerAlive: true,
            locked: event.locked,
            reason: 'watching the runner left by an earlier supervisor',
          },
          effects: [],
        };
      }
      if (event.locked) {
        return evict(
          state,
          'the workspace was locked to a user before this start; a locked workspace never starts another runner',
          {
            locked: true,
          },
        );
      }
      if (event.lifetimeOver) return evict(state, 'maximum lifetime reached before the runner started');
      if (state.stopRequested) {
        // A stop that came while the supervisor was starting: no runner is started to be drained.
        return {
          state: { ...state, phase: 'stopped', reason: 'stopped on request before the runner started' },
          effects: [{ type: 'cancel-timers' }, { type: 'exit', code: 0 }],
        };
      }
      if (event.preflightProblems.length > 0) return quarantine(state, event.preflightProblems.join('; '), options);
      if (event.tokenProblem) {
        // It does not serve: a workspace that cannot evict itself would hold its slot once locked.
        return quarantine(
          state,
          `the self-evict token cannot delete this workspace, so it serves no one: ${event.tokenProblem}`,
          options,
          // A timed self-eviction would fail the same way: say what really happens.
          'it cannot delete itself either, so it stays quarantined until the token is fixed and the workspace restarted, or someone deletes it',
        );
      }
      return {
        state: {
          ...state,
          phase: 'starting',
          reason: 'starting the runner',
          unreachableInRow: event.outage?.tries ?? 0,
          unreachableSince: event.outage?.since,
        },
        effects: [{ type: 'spawn-runner' }],
      };
    }
    case 'runner-spawned': {
      // A spawn that completes while the workspace is being evicted (the lifetime ended during the
      // spawn) never overrides the eviction: the runner is drained and the phase stays.
      if (state.phase === 'evicting' || isFinal(state.phase)) {
        return { state: { ...state, runnerAlive: true }, effects: [{ type: 'drain-runner' }] };
      }
      const running: PolicyState = {
        ...state,
        runnerAlive: true,
        phase: 'running',
        reason: 'runner is up, waiting for a session',
      };
      if (state.stopRequested)
        return {
          state: { ...running, phase: 'draining', reason: 'stop requested' },
          effects: [{ type: 'drain-runner' }],
        };
      return { state: running, effects: [] };
    }
    case 'runner-exited':
      return onRunnerExited(state, event, options);
    case 'runner-unresponsive':
    case 'locked-cap-elapsed': {
      // Only a live runner that is not already being killed or evicted; a drain does not wait for one that no longer works.
      if (!state.runnerAlive || state.killReason || state.phase === 'evicting' || isFinal(state.phase)) {
        return { state, effects: [] };
      }
      const why =
        event.type === 'runner-unresponsive'
          ? `stopped working (${event.reason})`
          : `outlived its lifetime cap (${event.capText}) and the time it had to release its sessions`;
      return {
        state: {
          ...state,
          killReason: why,
          lastError: `the runner ${why}`,
          reason: `the runner ${why}; killing it and every process of the runner user`,
        },
        effects: [{ type: 'kill-runner', reason: why }],
      };
    }
    case 'runner-registered':
      if (state.unreachableInRow === 0 && state.unreachableSince === undefined) return { state, effects: [] };
      return { state: { ...state, unreachableInRow: 0, unreachableSince: undefined }, effects: [] };
    case 'lock-observed': {
      if (state.locked) return { state, effects: [] };
      const reason = state.phase === 'running' ? 'serving a session; locked to its user' : state.reason;
      return { state: { ...state, locked: true, reason }, effects: [{ type: 'persist-lock', source: event.source }] };
    }
    case 'backoff-elapsed': {
      if ((state.phase !== 'backoff' && state.phase !== 'unreachable') || state.stopRequested)
        return { state, effects: [] };
      return {
        state: { ...state, phase: 'starting', restarts: state.restarts + 1, reason: 'restarting the runner' },
        effects: [{ type: 'spawn-runner' }],
      };
    }
    case 'quarantine-elapsed': {
      if (state.phase !== 'quarantined') return { state, effects: [] };
      return evict(
        state,
        `quarantine over, still broken (${state.lastError ?? 'unknown'}); making room for a fresh workspace`,
      );
    }
    case 'lifetime-elapsed': {
      if (state.locked || state.stopRequested) return { state, effects: [] };
      if (state.phase === 'running' && state.runnerAlive) {
        return {
          state: { ...state, phase: 'draining', reason: 'maximum lifetime reached; draining the idle runner' },
          effects: [{ type: 'drain-runner' }],
        };
      }
      if (['backoff', 'unreachable', 'quarantined', 'starting'].includes(state.phase)) {
        return evict(state, 'maximum lifetime reached');
      }
      return { state, effects: [] };
    }
    case 'stop-requested': {
      if (state.stopRequested) return { state, effects: [] };
      const stopping: PolicyState = { ...state, stopRequested: true };
      if (state.phase === 'evicting' || isFinal(state.phase)) return { state: stopping, effects: [] };
      if (state.runnerAlive) {
        return {
          state: { ...stopping, phase: 'draining', reason: 'stop requested; draining the runner' },
          effects: [{ type: 'cancel-timers' }, { type: 'drain-runner' }],
        };
      }
      if (state.phase === 'starting') return { state: stopping, effects: [] }; // the spawn is under way
      return {
        state: { ...stopping, phase: 'stopped', reason: 'stopped on request' },
        effects: [{ type: 'cancel-timers' }, { type: 'exit', code: 0 }],
      };
    }
    case 'eviction-finished': {
      if (event.succeeded) {
        return { state: { ...state, phase: 'evicted', reason: event.message }, effects: [{ type: 'exit', code: 0 }] };
      }
      return {
        state: { ...state, phase: 'eviction-failed', reason: event.message, lastError: event.message },
        effects: [{ type: 'exit', code: 1 }],
      };
    }
  }
}
