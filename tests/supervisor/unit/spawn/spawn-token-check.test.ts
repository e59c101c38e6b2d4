import { describe, expect, it } from 'vitest';
import type { HttpAnswer, HttpClient } from '../../../../supervisor/src/coder-api/http.js';
import { checkSpawnToken } from '../../../../supervisor/src/spawn/spawn-token-check.js';

const options = {
  coderUrl: 'https://coder.example.com/',
  token: 't',
  owner: 'me',
  organization: 'coder',
  template: 'runner',
  preset: undefined,
  orderParameter: 'work_order',
  requestTimeoutMs: 1000,
};
const answer = (status: number, body: unknown = {}): HttpAnswer => ({
  status,
  body: JSON.stringify(body),
  retryAfter: undefined,
});

function coder(answers: Record<string, HttpAnswer>): HttpClient & { paths: string[] } {
  const paths: string[] = [];
  return {
    paths,
    send: (_method, url) => {
      const path = new URL(url).pathname;
      paths.push(path);
      return Promise.resolve(answers[path] ?? answer(404));
    },
  };
}

const good = {
  '/api/v2/users/me': answer(200, { id: 'owner-1' }),
  '/api/v2/organizations/coder/templates/runner': answer(200, {
    id: 'tpl-1',
    organization_id: 'org-1',
    active_version_id: 'ver-1',
    use_classic_parameter_flow: false,
  }),
  '/api/v2/templateversions/ver-1/rich-parameters': answer(200, [
    { name: 'work_order', type: 'string', mutable: true, ephemeral: true, required: false },
  ]),
  '/api/v2/authcheck': answer(200, { create: true }),
};
const cannotCreate = { '/api/v2/authcheck': answer(200, { create: false }) };
const on = (version: string) => ({ '/api/v2/buildinfo': answer(200, { version }) });

describe('checkSpawnToken on the Coder release it talks to', () => {
  it('passes a token that can create runner workspaces without asking the release', async () => {
    const http = coder({ ...good, ...on('v2.30.0') });
    expect(await checkSpawnToken(options, http)).toEqual({ verdict: 'ok' });
    expect(http.paths).not.toContain('/api/v2/buildinfo');
  });

  it('on an older release, adds the self-evict token that its runner template must mint there', async () => {
    const check = await checkSpawnToken(options, coder({ ...good, ...cannotCreate, ...on('v2.30.0+abc') }));
    expect(check).toMatchObject({
      verdict: 'refused',
      problem: expect.stringMatching(
        /^the token may not create workspaces for me: .*; its runner template's self-evict token on Coder v2\.30\.0, dynamic parameters: scopes coder:all, allow_list workspace:<id>,template:\*,user:<owner>$/,
      ),
    });
    const legacy = await checkSpawnToken(options, coder({ ...good, ...cannotCreate, ...on('v2.24.0') }));
    expect(legacy).toMatchObject({ problem: expect.stringMatching(/Coder v2\.24\.0 ignores scopes/) });
  });

  it('keeps its own words on the newest release, an unknown one, and for a missing token', async () => {
    for (const release of [on('v2.36.0'), {}]) {
      const check = await checkSpawnToken(options, coder({ ...good, ...cannotCreate, ...release }));
      expect(check).toMatchObject({ problem: expect.not.stringMatching(/Coder v/) });
    }
    const missing = await checkSpawnToken(
      options,
      coder({ ...good, ...on('v2.24.0'), '/api/v2/users/me': answer(401) }),
    );
    expect(missing).toMatchObject({ problem: expect.stringMatching(/^coder_token is missing/) });
  });
});
