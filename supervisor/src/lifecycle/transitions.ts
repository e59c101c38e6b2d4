import { evictionStarted } from '../state/status.js';
import { restartDelayMs } from './backoff.js';
import { runnerCap } from './lifetime-cap.js';
import type { PolicyOptions, PolicyState, TimerName, Transition } from './policy-types.js';

/** The shapes of transition that many events share: one place each. */

export const seconds = (ms: number): number => Math.round(ms / 1000);

export const stay = (state: PolicyState): Transition => ({ state, effects: [] });

/** Timers that wait for something to happen while the program is not running. */
const waitingTimers: TimerName[] = ['restart', 'quarantine', 'order-wait'];

/**
 * Self-eviction. A long-lived host never deletes itself: for it, the same cause is a quarantine
 * that says why (it stays until someone acts).
 */
export function evict(state: PolicyState, reason: string, options: PolicyOptions, at: number): Transition {
  if (!options.profile.singleUse) {
    return quarantine(state, reason, options, 'a long-lived host never deletes itself: it waits until someone acts');
  }
  return {
    state: {
      ...state,
      phase: 'evicting',
      reason,
      // Pending from now on: a supervisor killed meanwhile confirms it with Coder at its next start.
      eviction: {
        outcome: 'pending',
        attempts: 0,
        lastStatus: undefined,
        message: reason,
        at: new Date(at).toISOString(),
      },
    },
    effects: [
      { type: 'cancel-timers', timers: waitingTimers },
      // An earlier attempt that may have reached Coder (pending) or was accepted: read first.
      { type: 'evict', verifyFirst: evictionStarted(state.eviction) },
    ],
  };
}

function waitText(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}

/**
 * Stop restarting and show why. After the quarantine period a single-use workspace self-evicts
 * (a broken host must not hold a pool slot forever) and a long-lived one tries again. `instead`
 * says what really happens when neither can (a token that cannot delete the workspace).
 */
export function quarantine(state: PolicyState, reason: string, options: PolicyOptions, instead?: string): Transition {
  const lastError = state.lastError ?? reason;
  if (instead) {
    return {
      state: { ...state, phase: 'quarantined', reason: `${reason}; ${instead}`, lastError },
      effects: [{ type: 'cancel-timers', timers: waitingTimers }],
    };
  }
  const after = options.profile.singleUse ? 'self-evicting' : `restarting the ${options.profile.program}`;
  const tail =
    options.quarantineMs > 0
      ? `; ${after} in ${waitText(options.quarantineMs)} unless fixed`
      : '; quarantine is off (0), so it stays until someone acts';
  return {
    state: { ...state, phase: 'quarantined', reason: `${reason}${tail}`, lastError },
    effects:
      options.quarantineMs > 0
        ? [
            { type: 'cancel-timers', timers: waitingTimers },
            { type: 'start-timer', timer: 'quarantine', delayMs: options.quarantineMs },
          ]
        : [{ type: 'cancel-timers', timers: waitingTimers }],
  };
}

/** A restart after a run that was fine: no crash counted, no outage, the first delay. */
export function freshRestart(state: PolicyState, why: string, options: PolicyOptions): Transition {
  return {
    state: {
      ...state,
      phase: 'backoff',
      shortRunsInRow: 0,
      unreachableInRow: 0,
      unreachableSince: undefined,
      reason: `${why} in about ${seconds(options.initialDelayMs)} s`,
    },
    effects: [{ type: 'start-timer', timer: 'restart', delayMs: options.initialDelayMs, jitter: 'equal' }],
  };
}

/** A restart with the backoff that `runs` consecutive failed runs earned. */
export function backoffRestart(
  state: PolicyState,
  phase: 'backoff' | 'unreachable',
  runs: number,
  reason: (delaySec: number) => string,
  options: PolicyOptions,
): Transition {
  const delayMs = restartDelayMs(runs, options);
  return {
    state: { ...state, phase, reason: reason(seconds(delayMs)) },
    effects: [{ type: 'start-timer', timer: 'restart', delayMs, jitter: 'equal' }],
  };
}

/** Starts the program, with this run's lifetime cap (told to it as --retire-at). */
export function spawn(state: PolicyState, reason: string, options: PolicyOptions, at: number): Transition {
  const retireAtSec = state.retireAt === undefined ? undefined : Math.floor(state.retireAt / 1000);
  const cap = options.maxLockedMs > 0 ? runnerCap(at, retireAtSec, options.maxLockedMs) : undefined;
  return {
    state: { ...state, phase: 'starting', reason, cap },
    effects: [{ type: 'spawn-program', retireAtEpochSec: cap?.retireAtEpochSec ?? retireAtSec }],
  };
}

export function stopped(state: PolicyState, reason: string): Transition {
  return {
    state: { ...state, phase: 'stopped', reason },
    effects: [
      { type: 'cancel-timers', timers: waitingTimers },
      { type: 'exit', code: 0 },
    ],
  };
}
