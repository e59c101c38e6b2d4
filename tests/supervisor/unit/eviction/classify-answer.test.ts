import { describe, expect, it } from 'vitest';
import {
  classifyAnswer,
  classifyFailure,
  parseRetryAfter,
} from '../../../../supervisor/src/eviction/classify-answer.js';

const id = '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
const answer = (status: number, body = '', retryAfter?: string) => ({ status, body, retryAfter });

describe('classifying delete-build answers', () => {
  it.each([
    [201, 'success'],
    [409, 'wait-build'],
    [429, 'retry'],
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [401, 'permanent'],
    [403, 'permanent'],
    [404, 'permanent'],
    [410, 'gone'],
    [400, 'permanent'],
  ])('%i is %s', (status, kind) => {
    expect(classifyAnswer(answer(status), id, 0, false).kind).toBe(kind);
  });

  it('turns a 404 after a conflict or a lost answer into "already deleted"', () => {
    expect(classifyAnswer(answer(404), id, 0, true).kind).toBe('gone');
  });

  it("names the likely cause of permanent errors, with Coder's message", () => {
    const forbidden = classifyAnswer(
      answer(403, '{"message":"Forbidden.","detail":"insufficient scope"}'),
      id,
      0,
      false,
    );
    expect(forbidden).toMatchObject({ kind: 'permanent' });
    expect(forbidden.kind === 'permanent' && forbidden.message).toMatch(
      /scopes workspace:read, workspace:delete and template:read .* Forbidden\.: insufficient scope/,
    );
    const expired = classifyAnswer(answer(401), id, 0, false);
    expect(expired.kind === 'permanent' && expired.message).toMatch(/expired or revoked/);
    const missing = classifyAnswer(answer(404), id, 0, false);
    expect(missing.kind === 'permanent' && missing.message).toMatch(/check workspace_id/);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('7', 0)).toBe(7000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:10 GMT', 4000)).toBe(6000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
    const limited = classifyAnswer(answer(429, '', '3'), id, 0, false);
    expect(limited).toMatchObject({ kind: 'retry', retryAfterMs: 3000, ambiguous: false });
  });

  it("treats network failures as ambiguous retries, with the socket code from fetch's cause", () => {
    const failure = new TypeError('fetch failed', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) });
    expect(classifyFailure(failure)).toMatchObject({
      kind: 'retry',
      ambiguous: true,
      why: 'request failed: ECONNRESET',
    });
    expect(classifyFailure(new DOMException('timed out', 'TimeoutError'))).toMatchObject({
      why: 'request failed: TimeoutError',
    });
  });
});

describe('answers of a real Coder server that name the token to fix', () => {
  const id = '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
  it('a 500 rbac: forbidden is a permission answer, not a fault to retry for half an hour', () => {
    const body = JSON.stringify({
      message: 'failed to fetch template',
      detail: 'get template x: unauthorized: rbac: forbidden',
    });
    const verdict = classifyAnswer({ status: 500, body, retryAfter: undefined }, id, 0, false);
    expect(verdict).toMatchObject({
      kind: 'permanent',
      message: expect.stringMatching(/template:read with allow_list template:\*/),
    });
  });

  it('a 400 for the workspace owner names user:read', () => {
    const body = JSON.stringify({
      message: 'Unable to validate parameters',
      detail: 'Failed to fetch workspace owner; Please check your permissions or the user may not exist.',
    });
    const verdict = classifyAnswer({ status: 400, body, retryAfter: undefined }, id, 0, false);
    expect(verdict).toMatchObject({
      kind: 'permanent',
      message: expect.stringMatching(/user:read with allow_list user:<owner id>/),
    });
  });
});
