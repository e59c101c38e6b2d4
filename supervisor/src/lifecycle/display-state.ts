import type { PolicyState } from './policy.js';
import type { Observations } from './status-projection.js';

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
      return reg?.lastFailure
        ? `registering (attempt ${attempt}): ${reg.lastFailure}`
        : `registering (attempt ${attempt})`;
    }
    case 'unreachable':
      return state.reason;
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
