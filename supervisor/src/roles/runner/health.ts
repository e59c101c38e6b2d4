import { asCount, asText, parseJsonObject, prometheusSample } from '../../shared/health-body.js';
import { getLocalText } from '../../shared/local-http.js';

/** What the runner's `/healthz` reports (documented fields; nulls until the first poll). */
export interface HealthSnapshot {
  status: string;
  runnerId: string | undefined;
  activeSessions: number | undefined;
  lastPollAt: string | undefined;
  lastPollAgeMs: number | undefined;
}

/** Parses a `/healthz` body; undefined for anything that is not a JSON object (garbage is ignored). */
export function parseHealth(body: string): HealthSnapshot | undefined {
  const h = parseJsonObject(body);
  if (!h) return undefined;
  return {
    status: asText(h.status) ?? 'unknown',
    runnerId: asText(h.runner_id),
    activeSessions: asCount(h.active_sessions),
    lastPollAt: asText(h.last_poll_at),
    lastPollAgeMs: asCount(h.last_poll_age_ms),
  };
}

export interface MetricsSnapshot {
  sessionsStarted: number | undefined;
  lockedAccount: number | undefined;
}

/** Reads the two series we act on from Prometheus text; a missing sample stays undefined. */
export function parseMetrics(text: string): MetricsSnapshot {
  return {
    sessionsStarted: prometheusSample(text, 'claude_code_self_hosted_runner_sessions_started_total'),
    lockedAccount: prometheusSample(text, 'claude_code_self_hosted_runner_locked_account'),
  };
}

export function fetchHealth(port: number, timeoutMs = 2000): Promise<HealthSnapshot | undefined> {
  return getLocalText(`http://127.0.0.1:${port}/healthz`, timeoutMs).then((b) =>
    b === undefined ? undefined : parseHealth(b),
  );
}

export function fetchMetrics(port: number, timeoutMs = 2000): Promise<MetricsSnapshot | undefined> {
  return getLocalText(`http://127.0.0.1:${port}/metrics`, timeoutMs).then((b) =>
    b === undefined ? undefined : parseMetrics(b),
  );
}

/** Whether health or metrics show that a session has ever started: the runner is locked. */
export function showsLock(
  health: HealthSnapshot | undefined,
  metrics: MetricsSnapshot | undefined,
): string | undefined {
  if ((health?.activeSessions ?? 0) > 0) return 'healthz active_sessions';
  if ((metrics?.sessionsStarted ?? 0) > 0) return 'metrics sessions_started_total';
  if (metrics?.lockedAccount === 1) return 'metrics locked_account';
  return undefined;
}
