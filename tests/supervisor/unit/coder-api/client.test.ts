import { describe, expect, it } from 'vitest';
import { CoderClient, errorExcerpt } from '../../../../supervisor/src/coder-api/client.js';
import type { HttpClient } from '../../../../supervisor/src/coder-api/http.js';

describe('the Coder API client', () => {
  it('sends the token only as Coder-Session-Token, joins the path under a prefix and parses JSON', async () => {
    const sent: { method: string; url: string; headers: Record<string, string>; body?: string; timeoutMs: number }[] =
      [];
    const http: HttpClient = {
      send: async (method, url, headers, body, timeoutMs) => {
        sent.push({ method, url, headers, body: body as string | undefined, timeoutMs });
        return { status: 201, retryAfter: undefined, body: '{"id":"b1"}' };
      },
    };
    const coder = new CoderClient({
      baseUrl: 'https://coder.example.com/prefix/',
      token: 't0k',
      requestTimeoutMs: 15_000,
      http,
    });
    const answer = await coder.post<{ id: string }>('api/v2/workspaces/w/builds', { transition: 'delete' }, 2000);
    expect(answer.json).toEqual({ id: 'b1' });
    expect(sent[0]).toEqual({
      method: 'POST',
      url: 'https://coder.example.com/prefix/api/v2/workspaces/w/builds',
      headers: { 'Coder-Session-Token': 't0k', Accept: 'application/json', 'Content-Type': 'application/json' },
      body: '{"transition":"delete"}',
      timeoutMs: 2000,
    });
    expect(sent[0]?.url).not.toContain('t0k');
  });

  it('keeps a body that is not JSON as text, and quotes Coder’s message and detail on one line', async () => {
    const http: HttpClient = { send: async () => ({ status: 502, retryAfter: '3', body: '<html>bad gateway</html>' }) };
    const answer = await new CoderClient({
      baseUrl: 'http://127.0.0.1:1/',
      token: 't',
      requestTimeoutMs: 100,
      http,
    }).get('api/v2/workspaces/x');
    expect(answer).toMatchObject({ status: 502, retryAfter: '3', json: undefined });
    expect(errorExcerpt('{"message":"Workspace \\"a\\" already exists.","detail":"x\\ny"}')).toBe(
      // The newline escaped: a value from Coder never starts a line of its own.
      'Workspace "a" already exists.: x\\u000ay',
    );
    expect(errorExcerpt('  not\n json  ')).toBe('not json');
  });
});
