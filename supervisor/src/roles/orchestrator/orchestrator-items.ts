import { supervisorItemKeys, supervisorItems, type SupervisorItemKey } from '../../state/items.js';
import type { SupervisorStatus } from '../../state/status.js';
import { orchestratorPartOf } from './orchestrator-status.js';

/**
 * The orchestrator's dashboard items: the orchestrator module's metadata keys (a contract with
 * orchestrator/outputs.tf through module/orchestrator-metadata-items.json).
 */
export type OrchestratorItemKey = '0_connected' | '1_last_poll' | '2_spawn_hooks' | '3_standby' | SupervisorItemKey;

export const orchestratorItemKeys: readonly OrchestratorItemKey[] = [
  '0_connected',
  '1_last_poll',
  '2_spawn_hooks',
  '3_standby',
  ...supervisorItemKeys,
];

export function orchestratorItems(status: SupervisorStatus): Record<OrchestratorItemKey, string> {
  const o = orchestratorPartOf(status);
  const up = status.programPid !== undefined && status.state === 'running';
  const hooks = o?.hooks;
  return {
    '0_connected': up && o?.connected !== undefined ? (o.connected ? 'connected' : 'not connected') : '?',
    '1_last_poll': up && o?.lastPollAt ? o.lastPollAt : '?',
    '2_spawn_hooks':
      up && hooks ? `${hooks.ok} ok / ${hooks.retryable} retryable / ${hooks.nonRetryable} refused` : '?',
    '3_standby':
      up && o?.standbyDispatched !== undefined ? `${o.standbyDispatched} dispatched (min_idle ${o.minIdle})` : '?',
    // The orchestrator's own last error when the supervisor has none.
    ...supervisorItems(status, '', o?.lastError),
  };
}
