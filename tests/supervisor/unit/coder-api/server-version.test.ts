import { describe, expect, it } from 'vitest';
import { CoderClient } from '../../../../supervisor/src/coder-api/client.js';
import type { HttpClient } from '../../../../supervisor/src/coder-api/http.js';
import {
  compareCoderVersions,
  parseCoderVersion,
  readServerVersion,
  type CoderVersion,
} from '../../../../supervisor/src/coder-api/server-version.js';

const client = (status: number, body: string | Error): CoderClient =>
  new CoderClient({
    baseUrl: 'https://coder.example.com/',
    token: 't',
    requestTimeoutMs: 1000,
    http: {
      send: () =>
        body instanceof Error ? Promise.reject(body) : Promise.resolve({ status, body, retryAfter: undefined }),
    } satisfies HttpClient,
  });

describe('parseCoderVersion', () => {
  it.each([
    ['v2.30.0', 'v2.30.0'],
    ['v2.36.0+8a3c1f2', 'v2.36.0'],
    ['2.24.0', 'v2.24.0'],
    [' v2.34.3-rc.1 ', 'v2.34.3'],
  ])('%s is %s', (raw, text) => {
    expect(parseCoderVersion(raw)?.text).toBe(text);
  });

  it.each(['', 'v2.30', 'devel', 'v2.30.0.1', 'x2.30.0'])('%j is no release', (raw) => {
    expect(parseCoderVersion(raw)).toBeUndefined();
  });

  it('orders releases by major, minor, patch', () => {
    const v = (s: string) => parseCoderVersion(s) as CoderVersion;
    expect(compareCoderVersions(v('v2.30.0'), v('v2.34.3'))).toBeLessThan(0);
    expect(compareCoderVersions(v('v2.34.3'), v('v2.34.3+abc'))).toBe(0);
    expect(compareCoderVersions(v('v2.36.0'), v('v2.9.9'))).toBeGreaterThan(0);
    expect(compareCoderVersions(v('v3.0.0'), v('v2.99.99'))).toBeGreaterThan(0);
  });
});

describe('readServerVersion', () => {
  it('reads GET /api/v2/buildinfo', async () => {
    expect(await readServerVersion(client(200, JSON.stringify({ version: 'v2.30.0+abc1234' })))).toMatchObject({
      text: 'v2.30.0',
      minor: 30,
    });
  });

  it.each([
    ['a development build', 200, JSON.stringify({ version: 'v0.0.0-devel+abc1234' })],
    ['no version', 200, '{}'],
    ['not JSON', 200, '<html>'],
    ['a 404', 404, '{}'],
    ['a network error', 0, new TypeError('fetch failed')],
  ])('is undefined for %s', async (_what, status, body) => {
    expect(await readServerVersion(client(status, body))).toBeUndefined();
  });
});
