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

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const count = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;

export function parseOrchestratorHealth(body: string): OrchestratorHealth | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const h = json as Record<string, unknown>;
  const queue = (typeof h.queue_counts === 'object' && h.queue_counts !== null ? h.queue_counts : {}) as Record<
    string,
    unknown
  >;
  return {
    connected: h.connected === true,
    lastPollAt: text(h.last_poll_at),
    lastError: text(h.last_error),
    lastHookOkAt: text(h.last_hook_ok_at),
    warmHintsDispatched: count(h.warm_hints_dispatched),
    pending: count(queue.pending),
    circuitBroken: count(queue.circuit_broken),
  };
}

/** The hook outcomes from the Prometheus text (a missing sample stays undefined). */
export function parseOrchestratorMetrics(body: string): OrchestratorMetrics {
  const sample = (result: string): number | undefined => {
    const line = body
      .split('\n')
      .find((l) => l.startsWith(`claude_code_self_hosted_orchestrator_spawn_hooks_total{result="${result}"}`));
    const value = line === undefined ? Number.NaN : Number(line.slice(line.lastIndexOf(' ') + 1));
    return Number.isFinite(value) ? value : undefined;
  };
  return { hooksOk: sample('ok'), hooksRetryable: sample('retryable'), hooksNonRetryable: sample('non_retryable') };
}
