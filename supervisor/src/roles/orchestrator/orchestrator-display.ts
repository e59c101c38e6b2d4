import type { PolicyState } from '../../lifecycle/policy-types.js';
import type { OrchestratorStatus, SupervisorStatus } from '../../state/status.js';

const ago = (at: string | undefined, now: number): string => {
  const ms = at ? now - Date.parse(at) : Number.NaN;
  return Number.isFinite(ms) ? `${Math.max(0, Math.round(ms / 1000))}s ago` : 'never';
};

/** The orchestrator's state in a few words for the dashboard, starting with the phase's word. */
export function orchestratorDisplay(state: PolicyState, view: OrchestratorStatus, alive: boolean, now: number): string {
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

const oneLine = (text: string, max: number): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/**
 * The orchestrator's dashboard items (the orchestrator module's metadata keys, a contract with
 * orchestrator/outputs.tf through module/orchestrator-metadata-items.json).
 */
export function orchestratorItems(status: SupervisorStatus): Record<string, string> {
  const o = status.orchestrator;
  const up = status.runnerPid !== undefined && status.state === 'running';
  const hooks = o?.hooks;
  return {
    '0_connected': up && o?.connected !== undefined ? (o.connected ? 'connected' : 'not connected') : '?',
    '1_last_poll': up && o?.lastPollAt ? o.lastPollAt : '?',
    '2_spawn_hooks':
      up && hooks ? `${hooks.ok} ok / ${hooks.retryable} retryable / ${hooks.nonRetryable} refused` : '?',
    '3_standby':
      up && o?.standbyDispatched !== undefined ? `${o.standbyDispatched} dispatched (min_idle ${o.minIdle})` : '?',
    '4_supervisor_state': oneLine(status.display ?? `${status.state}: ${status.reason}`, 160),
    '5_restarts': String(status.restarts),
    '6_last_error': status.lastError
      ? oneLine(status.lastError, 200)
      : o?.lastError
        ? oneLine(o.lastError, 200)
        : 'none',
  };
}
