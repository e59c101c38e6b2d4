import { describe, expect, it } from 'vitest';
import type { HttpAnswer, HttpClient } from '../../../../supervisor/src/coder-api/http.js';
import { evictWorkspace, type EvictionOptions } from '../../../../supervisor/src/eviction/evict-workspace.js';

const options: EvictionOptions = {
  agentUrl: 'https://coder.example.com/',
  workspaceId: '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9',
  token: 'tok',
  deadlineMs: 600_000,
  requestTimeoutMs: 1000,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  activeBuildDelayMs: 5000,
};

type Step = HttpAnswer | Error;

/** A scripted HTTP client on a simulated clock: every sleep advances time, nothing waits. */
function simulated(steps: Step[], getSteps: Step[] = []) {
  let now = 0;
  const calls: { method: string; url: string; headers: Record<string, string>; body: string | undefined }[] = [];
  const sleeps: number[] = [];
  const http: HttpClient = {
    send: (method, url, headers, body) => {
      calls.push({ method, url, headers, body: body as string | undefined });
      const step = (method === 'GET' ? getSteps : steps).shift() ?? { status: 201, body: '', retryAfter: undefined };
      return step instanceof Error ? Promise.reject(step) : Promise.resolve(step);
    },
  };
  return {
    calls,
    sleeps,
    deps: {
      http,
      now: () => now,
      random: () => 0.5,
      sleep: (ms: number) => {
        sleeps.push(ms);
        now += ms;
        return Promise.resolve();
      },
    },
  };
}

const status = (code: number, retryAfter?: string): HttpAnswer => ({ status: code, body: '', retryAfter });

describe('evictWorkspace', () => {
  it('posts one delete build with the token, to the joined URL', async () => {
    const sim = simulated([status(201)]);
    const result = await evictWorkspace(options, sim.deps);
    expect(result).toMatchObject({ outcome: 'succeeded', attempts: 1, lastStatus: 201 });
    expect(sim.calls).toEqual([
      {
        method: 'POST',
        url: 'https://coder.example.com/api/v2/workspaces/6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9/builds',
        headers: { 'Coder-Session-Token': 'tok', 'Content-Type': 'application/json', Accept: 'application/json' },
        body: '{"transition":"delete"}',
      },
    ]);
  });

  it('retries server errors with full jitter and honours Retry-After', async () => {
    const sim = simulated([status(503), status(502), status(429, '30'), status(201)]);
    const result = await evictWorkspace(options, sim.deps);
    expect(result).toMatchObject({ outcome: 'succeeded', attempts: 4 });
    // full jitter: random 0.5 of min(cap, 1000 * 2^n); Retry-After 30 s plus up to 2 bases of jitter.
    expect(sim.sleeps).toEqual([1000, 2000, 31_000]);
  });

  it('waits out an active build', async () => {
    const sim = simulated([status(409), status(409), status(201)]);
    const result = await evictWorkspace(options, sim.deps);
    expect(result.outcome).toBe('succeeded');
    expect(sim.sleeps).toEqual([5000, 5000]);
  });

  it('after a lost answer, checks whether its delete build already exists instead of posting twice', async () => {
    const sim = simulated(
      [new TypeError('fetch failed')],
      [
        {
          status: 200,
          retryAfter: undefined,
          body: '{"latest_build":{"transition":"delete","job":{"status":"pending"}}}',
        },
      ],
    );
    const result = await evictWorkspace(options, sim.deps);
    expect(result.outcome).toBe('succeeded');
    expect(sim.calls.map((c) => c.method)).toEqual(['POST', 'GET']);
  });

  it('treats a workspace that disappeared during a conflict as already deleted', async () => {
    const sim = simulated([status(409), status(404)]);
    expect((await evictWorkspace(options, sim.deps)).outcome).toBe('already-deleted');
  });

  it('does not retry permanent errors', async () => {
    const sim = simulated([status(403)]);
    const result = await evictWorkspace(options, sim.deps);
    expect(result).toMatchObject({ outcome: 'failed', attempts: 1, lastStatus: 403 });
    expect(sim.sleeps).toEqual([]);
  });

  it('gives up at the deadline with the last reason', async () => {
    const sim = simulated(Array.from({ length: 1000 }, () => status(503)));
    const result = await evictWorkspace({ ...options, deadlineMs: 120_000 }, sim.deps);
    expect(result.outcome).toBe('failed');
    expect(result.message).toMatch(/\(deadline reached\); last: 503 server error/);
    expect(result.durationMs).toBeLessThanOrEqual(120_000);
  });

  it('verifies first when an earlier attempt was interrupted', async () => {
    const sim = simulated([], [{ status: 410, retryAfter: undefined, body: '' }]);
    const result = await evictWorkspace({ ...options, verifyFirst: true }, sim.deps);
    expect(result.outcome).toBe('already-deleted');
    expect(sim.calls.map((c) => c.method)).toEqual(['GET']);
  });

  it('a delete build that failed on the server is not done: it posts a new one', async () => {
    const failed = JSON.stringify({ latest_build: { transition: 'delete', job: { status: 'failed' } } });
    const sim = simulated([status(201)], [{ status: 200, body: failed, retryAfter: undefined }]);
    const result = await evictWorkspace({ ...options, verifyFirst: true }, sim.deps);
    expect(sim.calls.map((c) => c.method)).toEqual(['GET', 'POST']);
    expect(result.outcome).toBe('succeeded');
  });

  it.each(['pending', 'running', 'succeeded'])('a delete build %s is done: no second one', async (job) => {
    const body = JSON.stringify({ latest_build: { transition: 'delete', job: { status: job } } });
    const sim = simulated([], [{ status: 200, body, retryAfter: undefined }]);
    const result = await evictWorkspace({ ...options, verifyFirst: true }, sim.deps);
    expect(sim.calls.map((c) => c.method)).toEqual(['GET']);
    expect(result.outcome).toBe('succeeded');
  });

  it('a delete that was created but never answered, then 409: confirmed by a read, not failed as 409', async () => {
    const pending = JSON.stringify({ latest_build: { transition: 'delete', job: { status: 'running' } } });
    const sim = simulated(
      [new DOMException('timed out', 'TimeoutError'), status(409)],
      [
        {
          status: 200,
          body: '{"latest_build":{"transition":"start","job":{"status":"succeeded"}}}',
          retryAfter: undefined,
        },
        { status: 200, body: pending, retryAfter: undefined },
      ],
    );
    const result = await evictWorkspace(options, sim.deps);
    expect(result.outcome).toBe('succeeded');
    expect(sim.calls.map((c) => c.method)).toEqual(['POST', 'GET', 'POST', 'GET']);
  });

  it('never lets a request outlive the deadline', async () => {
    const timeouts: number[] = [];
    let now = 0;
    const result = await evictWorkspace(
      { ...options, deadlineMs: 30_000, requestTimeoutMs: 15_000, baseDelayMs: 10_000 },
      {
        http: {
          send: (_m, _u, _h, _b, timeoutMs) => {
            timeouts.push(timeoutMs);
            now += timeoutMs;
            return Promise.reject(new DOMException('timed out', 'TimeoutError'));
          },
        },
        now: () => now,
        random: () => 0,
        sleep: () => Promise.resolve(),
      },
    );
    expect(result.outcome).toBe('failed');
    expect(now).toBeLessThanOrEqual(30_000);
    expect(Math.max(...timeouts)).toBeLessThanOrEqual(15_000);
  });
});
