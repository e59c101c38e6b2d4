import { retiredAtCap } from './lifetime-cap.js';
import type { EventOf, PolicyOptions, PolicyState, Transition } from './policy-types.js';
import { isFinal } from './policy-types.js';
import { backoffRestart, evict, freshRestart, quarantine, seconds, stay, stopped } from './transitions.js';

type Exited = EventOf<'program-exited'>;

function describeExit(event: Exited, killReason: string | undefined): string {
  if (event.spawnError) return `could not be started: ${event.spawnError}`;
  if (killReason) return `${killReason}, so the supervisor killed it`;
  if (event.signal) return `was killed by ${event.signal}`;
  return `exited with code ${event.exitCode ?? 'unknown'}`;
}

/**
 * What an exit means, in the order the questions are asked (the table of policy.test.ts): a stop,
 * the lock and the phase first, then the role's row for the exit's kind (its profile's `exits`).
 */
export function onProgramExited(state: PolicyState, event: Exited, options: PolicyOptions): Transition {
  const { profile } = options;
  // Traces of a session found after the exit lock the workspace, as the wrapper's record does.
  const locked = state.locked || event.lockEvidence !== undefined;
  const exited: PolicyState = {
    ...state,
    programAlive: false,
    killReason: undefined,
    cap: undefined,
    locked,
    lockSource: state.lockSource ?? (event.lockEvidence ? `session traces: ${event.lockEvidence}` : undefined),
  };
  const lockNow = !state.locked && locked;
  const withLock = (t: Transition): Transition =>
    lockNow
      ? { ...t, effects: [{ type: 'persist-lock', source: exited.lockSource ?? 'session traces' }, ...t.effects] }
      : t;
  const cleanup: Transition['effects'] = [{ type: 'cancel-timers', timers: ['drain', 'cap'] }];
  const done = (t: Transition): Transition => withLock({ ...t, effects: [...cleanup, ...t.effects] });

  const what = `${profile.program} ${describeExit(event, state.killReason)} after ${seconds(event.runtimeMs)} s`;
  const said = event.line && !state.killReason ? `${what}: ${event.line}` : what;
  if (state.phase === 'evicting' || isFinal(state.phase)) return done(stay(exited));
  if (state.stopRequested) return done(stopped(exited, `stopped on request (${what})`));
  if (locked) {
    return done(evict(exited, `${what}; the workspace is locked to a user, so it is never reused`, options, event.at));
  }
  if (state.phase === 'draining') return done(evict(exited, `${what} after its maximum lifetime`, options, event.at));

  // Unlocked, killed by the supervisor: an ordinary crash, with the supervisor's reason.
  const kind = state.killReason && profile.restartable ? 'crash' : event.kind;
  const line = state.killReason ?? event.line;
  const rule = profile.exits[kind];
  const reason = rule.reason({ what, said, line });
  const lastError = rule.lastError === 'said' || (rule.lastError === 'line' && event.line) ? said : exited.lastError;
  const noted: PolicyState = { ...exited, lastError };
  switch (rule.then) {
    case 'evict':
      if (kind === 'clean' && profile.restartable && retiredAtCap(state.cap, event.at, true)) {
        // Idle all its life: a fresh program (with a fresh cap) takes its place, no eviction.
        return done(
          freshRestart(
            exited,
            `the ${profile.program} retired at its lifetime cap before any session; starting a fresh one`,
            options,
          ),
        );
      }
      return done(evict(noted, reason, options, event.at));
    case 'restart':
      return done(freshRestart(noted, reason, options));
    case 'outage': {
      // Every workspace of the pool has it, so it is never a crash loop; retried for as long as it lasts.
      const unreachableInRow = state.unreachableInRow + 1;
      return done(
        backoffRestart(
          { ...noted, unreachableInRow, unreachableSince: state.unreachableSince ?? event.at },
          'unreachable',
          unreachableInRow,
          (delay) => `${reason}; retrying in about ${delay} s`,
          options,
        ),
      );
    }
    case 'quarantine':
      return done(quarantine(noted, reason, options));
    case 'crash':
      break;
  }

  // A crash before the lock: restart with backoff, unless it is a crash loop.
  const shortRun = event.runtimeMs < options.shortRunMs;
  const shortRunsInRow = shortRun ? state.shortRunsInRow + 1 : 0;
  const crashed: PolicyState = {
    ...noted,
    shortRunsInRow,
    unreachableInRow: 0,
    unreachableSince: undefined,
  };
  if (shortRunsInRow >= options.crashLoopThreshold) {
    return done(
      quarantine(
        // The program's own line says most; without one, the crash loop itself is the error.
        { ...crashed, lastError: line ? said : undefined },
        `crash loop: the ${profile.program} failed ${shortRunsInRow} times in a row within ${seconds(options.shortRunMs)} s of starting; ${reason}`,
        options,
      ),
    );
  }
  return done(
    backoffRestart(crashed, 'backoff', shortRunsInRow, (delay) => `${what}; restarting in about ${delay} s`, options),
  );
}
