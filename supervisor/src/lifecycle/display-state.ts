import type { PolicyState } from './policy.js';
import type { Observations } from './status-projection.js';

/** `Anthropic unreachable since 10:02:03 UTC, 3 runs`, while an outage lasts. */
function outageText(state: PolicyState): string | undefined {
  if (state.unreachableInRow === 0 || state.unreachableSince === undefined) return undefined;
  const since = new Date(state.unreachableSince).toISOString().slice(11, 19);
  return `Anthropic unreachable since ${since} UTC, ${state.unreachableInRow} run${state.unreachableInRow === 1 ? '' : 's'} failed`;
}

/**
 * The supervisor's state in a few words for the dashboard: what it is doing now, with the fix
 * when something is wrong. Starts with the phase's word, which the metadata script reads.
 */
export function displayState(state: PolicyState, obs: Observations): string {
  switch (state.phase) {
    case 'starting':
      return `starting: ${state.reason}`;
    case 'running': {
      const reg = obs.registration;
      if (obs.activeSessions !== undefined && obs.activeSessions > 0) {
        return `serving: ${obs.activeSessions} session(s); locked to its user`;
      }
      if (state.locked) return 'serving: locked to its user';
      if (reg?.registered || obs.healthStatus === 'ok') {
        return `waiting for a session: registered as ${reg?.runnerId ?? obs.runnerId ?? 'a runner'}`;
      }
      if (obs.runner === undefined) return `running: ${state.reason}`;
      const attempt = (reg?.failedAttempts ?? 0) + 1;
      // An outage that outlasted earlier runs stays in view: its start and the runs it cost.
      const outage = outageText(state);
      const progress = outage
        ? `registering (attempt ${attempt} of run ${state.unreachableInRow + 1}; ${outage})`
        : `registering (attempt ${attempt})`;
      return reg?.lastFailure ? `${progress}: ${reg.lastFailure}` : progress;
    }
    case 'unreachable': {
      const outage = outageText(state);
      return outage ? `${state.reason} (${outage})` : state.reason;
    }
    case 'backoff':
      return `restarting: ${state.reason}`;
    case 'evicting': {
      const e = obs.eviction;
      return e && e.outcome === 'pending' && e.attempts > 0
        ? `evicting (attempt ${e.attempts}; last: ${e.message})`
        : `evicting: ${state.reason}`;
    }
    default:
      return `${state.phase}: ${state.reason}`;
  }
}
