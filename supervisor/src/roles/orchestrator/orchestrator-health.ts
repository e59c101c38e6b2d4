import { asCount, asObject, asText, parseJsonObject, prometheusSample } from '../../shared/health-body.js';

/**
 * What the orchestrator's /healthz and /metrics say (the pinned 2.1.330, measured: its /healthz
 * always answers 200 while it lives; `connected` is false while it cannot poll Anthropic, with
 * the cause in `last_error`). tests/fixtures/orchestrator-health-2.1.330.json holds real bodies.
 */
export interface OrchestratorHealth {
  connected: boolean;
  lastPollAt: string | undefined;
  lastError: string | undefined;
  lastHookOkAt: string | undefined;
  warmHintsDispatched: number | undefined;
  pending: number | undefined;
  circuitBroken: number | undefined;
}

export interface OrchestratorMetrics {
  hooksOk: number | undefined;
  hooksRetryable: number | undefined;
  hooksNonRetryable: number | undefined;
}

export function parseOrchestratorHealth(body: string): OrchestratorHealth | undefined {
  const h = parseJsonObject(body);
  if (!h) return undefined;
  const queue = asObject(h.queue_counts) ?? {};
  return {
    connected: h.connected === true,
    lastPollAt: asText(h.last_poll_at),
    lastError: asText(h.last_error),
    lastHookOkAt: asText(h.last_hook_ok_at),
    warmHintsDispatched: asCount(h.warm_hints_dispatched),
    pending: asCount(queue.pending),
    circuitBroken: asCount(queue.circuit_broken),
  };
}

/** The hook outcomes from the Prometheus text (a missing sample stays undefined). */
export function parseOrchestratorMetrics(body: string): OrchestratorMetrics {
  const hooks = (result: string): number | undefined =>
    prometheusSample(body, `claude_code_self_hosted_orchestrator_spawn_hooks_total{result="${result}"}`);
  return { hooksOk: hooks('ok'), hooksRetryable: hooks('retryable'), hooksNonRetryable: hooks('non_retryable') };
}
