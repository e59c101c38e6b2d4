import http from 'node:http';

/** What the runner's `/healthz` reports (documented fields; nulls until the first poll). */
export interface HealthSnapshot {
  status: string;
  runnerId: string | undefined;
  activeSessions: number | undefined;
  lastPollAt: string | undefined;
  lastPollAgeMs: number | undefined;
}

const asCount = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
const asText = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** Parses a `/healthz` body; undefined for anything that is not a JSON object (garbage is ignored). */
export function parseHealth(body: string): HealthSnapshot | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const h = json as Record<string, unknown>;
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
  const sample = (name: string): number | undefined => {
    for (const line of text.split('\n')) {
      if (!line.startsWith(name)) continue;
      const rest = line.slice(name.length);
      if (rest[0] !== ' ' && rest[0] !== '{' && rest[0] !== '\t') continue;
      const value = Number(
        rest
          .replace(/^\{[^}]*\}/, '')
          .trim()
          .split(/\s+/)[0],
      );
      if (Number.isFinite(value)) return value;
    }
    return undefined;
  };
  return {
    sessionsStarted: sample('claude_code_self_hosted_runner_sessions_started_total'),
    lockedAccount: sample('claude_code_self_hosted_runner_locked_account'),
  };
}

/*
 * Plain node:http for the local polls: Node's fetch loads its bundled undici, about 12 MB of
 * resident memory for an idle supervisor that polls every few seconds; http.get costs ~4 MB.
 */
// One kept-alive connection to the runner instead of a new one per poll.
const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });

function getText(url: string, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const request = http.get(url, { timeout: timeoutMs, agent }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (body.length < 1_000_000) body += chunk;
      });
      response.on('end', () => resolve(response.statusCode === 200 ? body : undefined));
      response.on('error', () => resolve(undefined));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(undefined));
  });
}

export function fetchHealth(port: number, timeoutMs = 2000): Promise<HealthSnapshot | undefined> {
  return getText(`http://127.0.0.1:${port}/healthz`, timeoutMs).then((b) =>
    b === undefined ? undefined : parseHealth(b),
  );
}

export function fetchMetrics(port: number, timeoutMs = 2000): Promise<MetricsSnapshot | undefined> {
  return getText(`http://127.0.0.1:${port}/metrics`, timeoutMs).then((b) =>
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
