import type { PolicyState } from '../../lifecycle/policy-types.js';
import type { OrchestratorView } from './orchestrator-status.js';

const ago = (at: string | undefined, now: number): string => {
  const ms = at ? now - Date.parse(at) : Number.NaN;
  return Number.isFinite(ms) ? `${Math.max(0, Math.round(ms / 1000))}s ago` : 'never';
};

/** The orchestrator's state in a few words for the dashboard, starting with the phase's word. */
export function orchestratorDisplay(state: PolicyState, view: OrchestratorView, alive: boolean, now: number): string {
  if (state.phase === 'running' && alive) {
    if (view.connected === false)
      return `not connected to Anthropic (retrying by itself): ${view.lastError ?? 'no poll yet'}`;
    if (view.connected === undefined) return 'starting: waiting for its first poll of Anthropic';
    const hooks = view.hooks;
    const handled = hooks ? `; hooks ${hooks.ok} ok, ${hooks.retryable} retryable, ${hooks.nonRetryable} refused` : '';
    return `serving spawn requests: last poll ${ago(view.lastPollAt, now)}${handled}`;
  }
  if (state.phase === 'backoff') return `restarting: ${state.reason}`;
  return `${state.phase}: ${state.reason}`;
}
