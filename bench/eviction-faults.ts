// Eviction under faults, over real HTTP: the real evictWorkspace against the Coder API double,
// with a share of requests failing as 503, 429 (Retry-After: 1) or a request that never answers.
import { evictWorkspace } from '../supervisor/src/eviction/evict-workspace.js';
import { nodeHttpClient } from '../supervisor/src/coder-api/http.js';
import { startCoderApiDouble, type ScriptedAnswer } from '../tests/helpers/coder-api-double.js';
import { percentile, seededRandom } from './stats.js';

export interface FaultResult {
  faultRate: number;
  runs: number;
  p50Ms: number;
  p99Ms: number;
  meanRequests: number;
  maxRequests: number;
  exactlyOneEveryTime: boolean;
}

const workspaceId = '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
const token = 'bench-token';
/** Scaled-down timing so a run takes seconds: retry base 100 ms, request timeout 1 s. */
export const faultTiming = { baseDelayMs: 100, maxDelayMs: 5000, activeBuildDelayMs: 500, requestTimeoutMs: 1000 };

export async function measureEvictionUnderFaults(faultRate: number, runs: number): Promise<FaultResult> {
  const random = seededRandom(Math.round(faultRate * 1000) + 7);
  const durations: number[] = [];
  const requests: number[] = [];
  let exactlyOne = true;
  for (let run = 0; run < runs; run += 1) {
    const api = await startCoderApiDouble({ workspaceId, token });
    const faults: ScriptedAnswer[] = [{ status: 503 }, { status: 429, retryAfter: '1' }, { hang: true }];
    // Independent faults per request: a run of faults, then the default answer (201).
    while (random() < faultRate) api.script.push(faults[Math.floor(random() * faults.length)] ?? { status: 503 });
    const started = performance.now();
    const result = await evictWorkspace(
      { agentUrl: api.url, workspaceId, token, deadlineMs: 120_000, ...faultTiming },
      {
        http: nodeHttpClient,
        now: Date.now,
        random: Math.random,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      },
    );
    durations.push(performance.now() - started);
    requests.push(api.requests.length);
    if (result.outcome !== 'succeeded' || api.deleteBuilds !== 1) exactlyOne = false;
    await api.close();
  }
  return {
    faultRate,
    runs,
    p50Ms: percentile(durations, 50),
    p99Ms: percentile(durations, 99),
    meanRequests: requests.reduce((a, b) => a + b, 0) / runs,
    maxRequests: Math.max(...requests),
    exactlyOneEveryTime: exactlyOne,
  };
}
