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

function crashLoopHint(event: Exited, options: PolicyOptions): string {
  return event.kind === 'secret-refused'
    ? `the environment secret was refused: check ${options.profile.credentialInput}`
    : `check the ${options.profile.program} log`;
}

/** What an exit means, in the order the questions are asked: the table of policy.test.ts. */
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
  if (!profile.restartable) {
    // On-demand: nothing restarts the runner (Anthropic's advice); a fresh one comes only with
    // a new spawn request, in a workspace of its own.
    const why =
      event.kind === 'work-order-refused'
        ? `the work order was refused (${event.line ?? what}); a restart can never help: a fresh order comes only with a new spawn request`
        : `${said}; an on-demand runner serves one work order and is never restarted`;
    return done(evict({ ...exited, lastError: event.line ? said : exited.lastError }, why, options, event.at));
  }

  // Unlocked, killed by the supervisor: an ordinary crash (below), with the supervisor's reason.
  const kind = state.killReason ? 'crash' : event.kind;
  const line = state.killReason ?? event.line;
  switch (kind) {
    case 'clean':
      if (retiredAtCap(state.cap, event.at, true)) {
        // Idle all its life: a fresh runner (with a fresh cap) takes its place, no eviction.
        return done(
          freshRestart(
            exited,
            `the ${profile.program} retired at its lifetime cap before any session; starting a fresh one`,
            options,
          ),
        );
      }
      if (!profile.singleUse) {
        return done(
          freshRestart({ ...exited, lastError: said }, `the ${profile.program} exited cleanly; restarting`, options),
        );
      }
      return done(evict(exited, `${what} cleanly (drained or retired)`, options, event.at));
    case 'token-expired':
      // It ran fine and drained for a clean restart: an ordinary restart, not a crash.
      return done(
        freshRestart(
          { ...exited, lastError: said },
          `the ${profile.program}'s token expired (it drained for a clean restart); restarting`,
          options,
        ),
      );
    case 'unreachable': {
      // An outage of Anthropic or of the network: every workspace of the pool has it, so it is
      // never a crash loop; retry with a capped backoff for as long as it lasts.
      const unreachableInRow = state.unreachableInRow + 1;
      return done(
        backoffRestart(
          { ...exited, unreachableInRow, unreachableSince: state.unreachableSince ?? event.at, lastError: said },
          'unreachable',
          unreachableInRow,
          (delay) => `cannot reach Anthropic (${line ?? what}); retrying in about ${delay} s`,
          options,
        ),
      );
    }
    case 'not-enabled':
      return done(
        quarantine(
          { ...exited, lastError: said },
          "self-hosted environments are not enabled for this organization: an Owner turns on 'Allow self-hosted environments' on claude.ai (the secret is fine)",
          options,
        ),
      );
    case 'config-error':
      return done(
        quarantine(
          { ...exited, lastError: said },
          `the ${profile.program} refused its configuration: ${line}`,
          options,
        ),
      );
    case 'work-order-refused':
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
    return done(
      quarantine(
        // The program's own line says most; without one, the crash loop itself is the error.
        { ...crashed, lastError: line ? said : undefined },
        `crash loop: the ${profile.program} failed ${shortRunsInRow} times in a row within ${seconds(options.shortRunMs)} s of starting; ${crashLoopHint(event, options)}`,
        options,
      ),
    );
  }
  return done(
    backoffRestart(crashed, 'backoff', shortRunsInRow, (delay) => `${what}; restarting in about ${delay} s`, options),
  );
}
