import { describe, expect, it } from 'vitest';
import { isTransient, readAnswer, readFailure } from '../../../../supervisor/src/coder-api/answer.js';
import { classifyAnswer } from '../../../../supervisor/src/eviction/classify-answer.js';
import { checkSelfEvictToken } from '../../../../supervisor/src/eviction/token-check.js';
import type { HttpClient } from '../../../../supervisor/src/coder-api/http.js';
import { classifyCoderAnswer } from '../../../../supervisor/src/spawn/hook-outcome.js';
import { checkSpawnToken } from '../../../../supervisor/src/spawn/spawn-token-check.js';

const forbidden = JSON.stringify({ message: 'failed to fetch template', detail: 'unauthorized: rbac: forbidden' });
const ambiguous = JSON.stringify({ message: 'Internal error', detail: 'ambiguous allow list entry' });

/** One reading of Coder's answers: the table, and every caller agreeing with it. */
describe("the one reading of Coder's answers", () => {
  it.each([
    [200, '', 'ok'],
    [201, '', 'ok'],
    [429, '', 'transient'],
    [500, '', 'transient'],
    [502, 'Bad Gateway', 'transient'],
    [503, '', 'transient'],
    [500, forbidden, 'refused'],
    [500, ambiguous, 'refused'],
    [400, '', 'refused'],
    [401, '', 'refused'],
    [403, '', 'refused'],
    [404, '', 'refused'],
    [409, '', 'refused'],
    [410, '', 'refused'],
  ] as const)('%i %s is %s', (status, body, kind) => {
    expect(readAnswer({ status, body }).kind).toBe(kind);
    expect(isTransient({ status, body })).toBe(kind === 'transient');
  });

  it('a request that got no answer is transient, with its code', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(readFailure(reset)).toEqual({ kind: 'transient', why: 'request failed: ECONNRESET' });
  });

  const answering = (status: number, body: string): HttpClient => ({
    send: () => Promise.resolve({ status, body, retryAfter: undefined }),
  });

  it.each([
    [503, '', 'transient'],
    [429, '', 'transient'],
    [500, forbidden, 'refused'],
    [403, '', 'refused'],
  ] as const)('eviction, both token checks and the spawn hook read %i %s alike', async (status, body, kind) => {
    const retried = classifyAnswer({ status, body, retryAfter: undefined }, 'w', 0, false).kind === 'retry';
    expect(retried).toBe(kind === 'transient');
    const hook = classifyCoderAnswer('create', { status, body, retryAfter: undefined });
    expect(hook.exit === 1).toBe(kind === 'transient');
    const selfEvict = await checkSelfEvictToken(
      { agentUrl: 'http://127.0.0.1:9/', workspaceId: 'w', token: 't', requestTimeoutMs: 1000 },
      answering(status, body),
    );
    expect(selfEvict.verdict).toBe(kind === 'transient' ? 'unknown' : 'refused');
    const spawn = await checkSpawnToken(
      {
        coderUrl: 'http://127.0.0.1:9/',
        token: 't',
        owner: 'me',
        organization: 'default',
        template: 'runner',
        preset: undefined,
        orderParameter: 'work_order',
        requestTimeoutMs: 1000,
      },
      answering(status, body),
    );
    expect(spawn.verdict).toBe(kind === 'transient' ? 'unknown' : 'refused');
  });
});
