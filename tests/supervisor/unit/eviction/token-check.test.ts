import { describe, expect, it } from 'vitest';
import type { HttpAnswer } from '../../../../supervisor/src/coder-api/http.js';
import type { HttpClient } from '../../../../supervisor/src/coder-api/http.js';
import { checkSelfEvictToken } from '../../../../supervisor/src/eviction/token-check.js';

const id = '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
const options = { agentUrl: 'https://coder.example.com/', workspaceId: id, token: 't', requestTimeoutMs: 1000 };
const answer = (status: number, body: unknown = {}): HttpAnswer => ({
  status,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  retryAfter: undefined,
});

/** Answers by path, as a real Coder v2.36.0 answered each token of the measured matrix. */
function coder(answers: Record<string, HttpAnswer | Error>): HttpClient & { paths: string[] } {
  const paths: string[] = [];
  return {
    paths,
    send: (_method, url) => {
      const path = new URL(url).pathname;
      paths.push(path);
      const a = answers[path] ?? answer(404);
      return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
    },
  };
}

const workspace = answer(200, { owner_id: 'owner-1', template_id: 'tpl-1' });
const good = {
  [`/api/v2/workspaces/${id}`]: workspace,
  '/api/v2/templates/tpl-1': answer(200, { use_classic_parameter_flow: false }),
  '/api/v2/users/owner-1': answer(200, {}),
  '/api/v2/authcheck': answer(200, { delete: true }),
};

describe('checkSelfEvictToken', () => {
  it('passes the documented token, reading the workspace, then its template and authcheck at once, then its owner', async () => {
    const http = coder(good);
    expect(await checkSelfEvictToken(options, http)).toEqual({ verdict: 'ok' });
    expect(http.paths).toEqual([
      `/api/v2/workspaces/${id}`,
      '/api/v2/templates/tpl-1',
      '/api/v2/authcheck',
      '/api/v2/users/owner-1',
    ]);
  });

  it('says what the template answer says even when the authorization check, asked at the same time, failed', async () => {
    const http = coder({
      ...good,
      '/api/v2/templates/tpl-1': answer(403, { message: 'Forbidden.' }),
      '/api/v2/authcheck': Object.assign(new TypeError('socket'), { code: 'ECONNRESET' }),
    });
    expect(await checkSelfEvictToken(options, http)).toMatchObject({
      verdict: 'refused',
      problem: expect.stringMatching(/^403 reading its template/),
    });
  });

  it('does not read the owner for a classic-parameter template', async () => {
    const http = coder({
      ...good,
      '/api/v2/templates/tpl-1': answer(200, { use_classic_parameter_flow: true }),
      '/api/v2/users/owner-1': answer(404),
    });
    expect(await checkSelfEvictToken(options, http)).toEqual({ verdict: 'ok' });
  });

  it.each([
    [
      'no template entry: GET of the workspace 403',
      { [`/api/v2/workspaces/${id}`]: answer(403, { message: 'Forbidden.' }) },
      /template:read with allow_list template:\*/,
    ],
    [
      'template:<id>: GET of the workspace 500 ambiguous',
      {
        [`/api/v2/workspaces/${id}`]: answer(500, { detail: 'get templates: pq: column reference "id" is ambiguous' }),
      },
      /template:<id> hits a Coder bug; use template:\*/,
    ],
    [
      'no user:read on a dynamic template',
      { '/api/v2/users/owner-1': answer(404) },
      /user:read with allow_list user:owner-1/,
    ],
    [
      'no workspace:delete',
      { '/api/v2/authcheck': answer(200, { delete: false }) },
      /workspace:delete with allow_list workspace:6f1e/,
    ],
    ['an expired token', { [`/api/v2/workspaces/${id}`]: answer(401) }, /expired or revoked/],
  ])('refuses %s, naming the fix', async (_what, override, fix) => {
    const check = await checkSelfEvictToken(options, coder({ ...good, ...override }));
    expect(check).toMatchObject({ verdict: 'refused', problem: expect.stringMatching(fix) });
  });

  describe('on an older Coder release (GET /api/v2/buildinfo), the refusal names the token that works there', () => {
    const on = (version: string) => ({ '/api/v2/buildinfo': answer(200, { version }) });
    it.each([
      [
        'v2.30.0: no user:read on a dynamic template',
        { ...on('v2.30.0+abc1234'), '/api/v2/users/owner-1': answer(404) },
        '404: Coder v2.30.0, dynamic parameters: scopes coder:all, allow_list workspace:<id>,template:*,user:<owner>',
      ],
      [
        'v2.30.0: no template entry (the flow unknown: the default, dynamic)',
        { ...on('v2.30.0'), [`/api/v2/workspaces/${id}`]: answer(403) },
        '403: Coder v2.30.0, dynamic parameters: scopes coder:all, allow_list workspace:<id>,template:*,user:<owner>',
      ],
      [
        'v2.30.0: no workspace:delete on a classic template',
        {
          ...on('v2.30.0'),
          '/api/v2/templates/tpl-1': answer(200, { use_classic_parameter_flow: true }),
          '/api/v2/authcheck': answer(200, { delete: false }),
        },
        'Coder v2.30.0, classic flow: scopes workspace:read,workspace:delete,template:read, allow_list workspace:<id>,template:*',
      ],
      [
        'v2.24.0: any refusal',
        { ...on('v2.24.0'), [`/api/v2/workspaces/${id}`]: answer(404) },
        '404: Coder v2.24.0 ignores scopes: use the unscoped token of a runner-owner account (docs/self-evict-token.md)',
      ],
    ])('%s', async (_what, override, problem) => {
      const http = coder({ ...good, ...override });
      expect(await checkSelfEvictToken(options, http)).toEqual({ verdict: 'refused', problem });
      expect(http.paths.at(-1)).toBe('/api/v2/buildinfo');
    });

    it('keeps its own words on v2.36.0, and for an expired token on any release', async () => {
      const newest = await checkSelfEvictToken(
        options,
        coder({ ...good, ...on('v2.36.0'), '/api/v2/users/owner-1': answer(404) }),
      );
      expect(newest).toMatchObject({ problem: expect.stringMatching(/user:read with allow_list user:owner-1/) });
      const expired = await checkSelfEvictToken(
        options,
        coder({ ...good, ...on('v2.24.0'), [`/api/v2/workspaces/${id}`]: answer(401) }),
      );
      expect(expired).toMatchObject({ problem: expect.stringMatching(/^401: .*expired or revoked/) });
    });
  });

  it.each([
    ['a network error', new TypeError('fetch failed')],
    ['a 503', answer(503)],
    ['a 429', answer(429)],
  ])('does not know after %s (Coder could not be asked)', async (_what, failure) => {
    const check = await checkSelfEvictToken(options, coder({ ...good, [`/api/v2/workspaces/${id}`]: failure }));
    expect(check.verdict).toBe('unknown');
  });
});
