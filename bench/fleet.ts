// 1,000 supervisors' real retry code (evictWorkspace) evicting at once, on a simulated clock,
// against an API double that enforces Coder's default rate limit: 512 requests per minute per
// user and endpoint, and every runner of a pool shares one token owner.
import type { HttpClient } from '../supervisor/src/coder-api/http.js';
import { evictWorkspace, defaultEvictionTiming } from '../supervisor/src/eviction/evict-workspace.js';
import { seededRandom } from './stats.js';

const limitPerMinute = 512;
const latencyMs = 20;

class VirtualClock {
  now = 0;
  private timers: { at: number; seq: number; resolve: () => void }[] = [];
  private seq = 0;
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.timers.push({ at: this.now + Math.max(0, ms), seq: this.seq++, resolve });
    });
  }
  /** Advances to the earliest timer and fires every timer due then; false when none is left. */
  advance(): boolean {
    if (this.timers.length === 0) return false;
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const at = this.timers[0]?.at ?? this.now;
    this.now = at;
    const due = this.timers.filter((t) => t.at === at);
    this.timers = this.timers.filter((t) => t.at !== at);
    for (const t of due) t.resolve();
    return true;
  }
}

/** The rate-limited endpoint: a sliding window of accepted requests; a 429 carries Retry-After. */
class RateLimitedApi {
  accepted: number[] = [];
  arrivals: number[] = [];
  rejected = 0;
  deletes = 0;
  constructor(private readonly clock: VirtualClock) {}
  client(): HttpClient {
    return {
      send: async (method) => {
        await this.clock.sleep(latencyMs);
        const now = this.clock.now;
        this.arrivals.push(now);
        while (this.accepted.length > 0 && (this.accepted[0] ?? 0) <= now - 60_000) this.accepted.shift();
        if (this.accepted.length >= limitPerMinute) {
          this.rejected += 1;
          const retryAfter = Math.ceil(((this.accepted[0] ?? now) + 60_000 - now) / 1000);
          return { status: 429, retryAfter: String(retryAfter), body: '{"message":"rate limited"}' };
        }
        this.accepted.push(now);
        if (method === 'POST') this.deletes += 1;
        return { status: 201, retryAfter: undefined, body: '{}' };
      },
    };
  }
}

export interface FleetResult {
  label: string;
  workspaces: number;
  evicted: number;
  failed: number;
  allEvictedAfterS: number;
  requests: number;
  rejected429: number;
  peakPerSecond: number;
  /** The busiest second after the first one: how hard the retries hit. */
  peakRetryPerSecond: number;
  peakPerMinute: number;
  deleteBuilds: number;
}

export type FleetStrategy = 'full-jitter' | 'no-jitter' | 'naive-1s';

const labels: Record<FleetStrategy, string> = {
  'full-jitter': 'ours: full jitter, Retry-After honoured',
  'no-jitter': 'ours without jitter (random fixed at 1)',
  'naive-1s': 'naive: retry every 1 s, Retry-After ignored',
};

/** A retry loop that many hand-written scripts use: try again every second until it works. */
async function naiveEvict(http: HttpClient, clock: VirtualClock): Promise<{ outcome: string }> {
  for (let attempt = 0; attempt < 1800; attempt += 1) {
    const answer = await http.send('POST', 'x', {}, '{}', 15_000);
    if (answer.status === 201) return { outcome: 'succeeded' };
    await clock.sleep(1000);
  }
  return { outcome: 'failed' };
}

export async function simulateFleet(workspaces: number, strategy: FleetStrategy): Promise<FleetResult> {
  const clock = new VirtualClock();
  const api = new RateLimitedApi(clock);
  const random = strategy === 'full-jitter' ? seededRandom(42) : () => 1;
  let done = 0;
  let failed = 0;
  let lastDone = 0;
  const finish = (result: { outcome: string }): void => {
    if (result.outcome === 'failed') failed += 1;
    else done += 1;
    lastDone = clock.now;
  };
  for (let i = 0; i < workspaces; i += 1) {
    if (strategy === 'naive-1s') {
      void naiveEvict(api.client(), clock).then(finish);
      continue;
    }
    void evictWorkspace(
      {
        agentUrl: 'https://coder.example.com/',
        workspaceId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        token: 'shared-owner-token',
        deadlineMs: 1_800_000,
        ...defaultEvictionTiming,
      },
      { http: api.client(), now: () => clock.now, sleep: (ms) => clock.sleep(ms), random },
    ).then(finish);
  }
  for (;;) {
    // Let every continuation run up to its next sleep before time moves on.
    await new Promise((resolve) => setImmediate(resolve));
    if (done + failed === workspaces || !clock.advance()) break;
  }
  const perWindow = (windowMs: number, from = 0): number => {
    let peak = 0;
    let start = 0;
    const times = api.arrivals.filter((t) => t >= from);
    for (let end = 0; end < times.length; end += 1) {
      while ((times[start] ?? 0) <= (times[end] ?? 0) - windowMs) start += 1;
      peak = Math.max(peak, end - start + 1);
    }
    return peak;
  };
  return {
    label: labels[strategy],
    workspaces,
    evicted: done,
    failed,
    allEvictedAfterS: lastDone / 1000,
    requests: api.arrivals.length,
    rejected429: api.rejected,
    peakPerSecond: perWindow(1000),
    peakRetryPerSecond: perWindow(1000, 1000),
    peakPerMinute: perWindow(60_000),
    deleteBuilds: api.deletes,
  };
}
