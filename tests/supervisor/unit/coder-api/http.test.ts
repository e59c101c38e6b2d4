import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureCode, nodeHttpClient } from '../../../../supervisor/src/coder-api/http.js';

const run = promisify(execFile);

/** A real server on loopback; each test picks what it answers by path. */
let server: http.Server;
let base: string;
const seen: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url === '/ok') res.writeHead(201, { 'content-type': 'application/json' }).end('{"id":"b1"}');
      else if (req.url === '/limited') res.writeHead(429, { 'retry-after': '7' }).end('slow down');
      else if (req.url === '/redirect') res.writeHead(302, { location: '/ok' }).end();
      else if (req.url === '/slow-body') {
        res.writeHead(200);
        res.write('part');
        // The rest never comes: the timeout covers the body too.
      } else if (req.url === '/cut') {
        res.writeHead(200, { 'content-length': '100' });
        res.write('part', () => res.destroy());
      } else if (req.url === '/silent') {
        // No answer at all.
      } else res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const send = (url: string, timeoutMs = 2000, body?: string) =>
  nodeHttpClient.send(body === undefined ? 'GET' : 'POST', url, { 'Coder-Session-Token': 't0k' }, body, timeoutMs);

describe('nodeHttpClient', () => {
  it('returns the status, the body and Retry-After, and sends headers and a JSON body as given', async () => {
    await expect(send(`${base}/ok`, 2000, '{"transition":"delete"}')).resolves.toEqual({
      status: 201,
      retryAfter: undefined,
      body: '{"id":"b1"}',
    });
    const request = seen.at(-1);
    expect(request).toMatchObject({ method: 'POST', url: '/ok', body: '{"transition":"delete"}' });
    expect(request?.headers).toMatchObject({ 'coder-session-token': 't0k', 'content-length': '23' });
    await expect(send(`${base}/limited`)).resolves.toEqual({ status: 429, retryAfter: '7', body: 'slow down' });
  });

  it('answers a 404 as an answer, not a failure', async () => {
    await expect(send(`${base}/nothing`)).resolves.toMatchObject({ status: 404 });
  });

  it('refuses a redirect instead of following it', async () => {
    const error = await send(`${base}/redirect`).catch((e: unknown) => e);
    expect(failureCode(error)).toBe('ERR_REDIRECT');
    expect(seen.at(-1)?.url).toBe('/redirect');
  });

  it('times out the whole exchange, a body that never ends included, as a TimeoutError', async () => {
    for (const where of ['/silent', '/slow-body']) {
      const started = Date.now();
      const error = await send(`${base}${where}`, 300).catch((e: unknown) => e);
      expect(failureCode(error)).toBe('TimeoutError');
      expect(Date.now() - started).toBeLessThan(2000);
    }
  });

  it('fails an answer cut short, and a port nobody listens on, with the socket error code', async () => {
    expect(failureCode(await send(`${base}/cut`).catch((e: unknown) => e))).toBe('ECONNRESET');
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(failureCode(await send(`http://127.0.0.1:${port}/`).catch((e: unknown) => e))).toBe('ECONNREFUSED');
  });

  it('speaks TLS to an https deployment and checks its certificate', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csr-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=127.0.0.1',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
        '-days',
        '1',
      ],
      { stdio: 'ignore' },
    );
    const tls = https.createServer(
      { key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) },
      (_req, res) => res.writeHead(200).end('over tls'),
    );
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    try {
      const url = `https://127.0.0.1:${(tls.address() as AddressInfo).port}/`;
      // A self-signed certificate that nobody trusts is refused, as fetch refused it.
      expect(failureCode(await send(url).catch((e: unknown) => e))).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    } finally {
      tls.closeAllConnections();
      await new Promise((resolve) => tls.close(resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the connection for the next request, but never holds the process open with it', async () => {
    const { stdout } = await run(process.execPath, [
      '--import',
      'tsx',
      '-e',
      `import('./supervisor/src/coder-api/http.ts')
        .then(({ nodeHttpClient }) => nodeHttpClient.send('GET', ${JSON.stringify(`${base}/ok`)}, {}, undefined, 2000))
        .then((a) => setImmediate(() => console.log(JSON.stringify({ status: a.status, alive: process.getActiveResourcesInfo() }))))`,
    ]);
    const { status, alive } = JSON.parse(stdout) as { status: number; alive: string[] };
    expect(status).toBe(201);
    // The kept-alive socket is there but unreferenced: it is not among what keeps the loop alive
    // (its stdio pipes and the immediate are).
    expect(alive).not.toContain('TCPSocketWrap');
  });
});
