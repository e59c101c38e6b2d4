import type { SupervisorStatus } from '../../state/status.js';

/** The orchestrator's own view, from its /healthz and /metrics. */
export interface OrchestratorView {
  connected: boolean | undefined;
  lastPollAt: string | undefined;
  lastError: string | undefined;
  /** spawn-runner hooks by outcome since the orchestrator started. */
  hooks: { ok: number; retryable: number; nonRetryable: number } | undefined;
  /** Standby work orders handed to the hook (--min-idle). */
  standbyDispatched: number | undefined;
  minIdle: number;
  /** Session requests waiting for a runner. */
  pending: number | undefined;
}

/** The orchestrator role's part of the status (state/status.ts has the core). */
export interface OrchestratorStatusPart {
  role: 'orchestrator';
  orchestrator: OrchestratorView | undefined;
}

export type OrchestratorStatus = SupervisorStatus<OrchestratorStatusPart>;

/** The orchestrator's part of a status (undefined for another role's). */
export function orchestratorPartOf(status: SupervisorStatus): OrchestratorView | undefined {
  if (status.role !== 'orchestrator') return undefined;
  const view = status.orchestrator;
  return typeof view === 'object' && view !== null ? (view as OrchestratorView) : undefined;
}
