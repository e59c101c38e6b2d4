import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLocalText } from '../../../../supervisor/src/shared/local-http.js';

/** A child's health port as it may answer, well or badly, on loopback. */
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/healthz') res.writeHead(200).end('{"status":"healthy"}');
    else if (req.url === '/big') res.writeHead(200).end('x'.repeat(1_500_000));
    else if (req.url === '/trickle') {
      // A byte now and then, never the end: an idle-socket timeout alone would wait for ever.
      res.writeHead(200);
      const beat = setInterval(() => res.write('.'), 50);
      res.on('close', () => clearInterval(beat));
    } else res.writeHead(503).end('busy');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('getLocalText (the polls of a child health port)', () => {
  it('gives the body of a 200 answer', async () => {
    expect(await getLocalText(`${base}/healthz`)).toBe('{"status":"healthy"}');
  });

  it('gives nothing for another status or a port nobody listens on', async () => {
    expect(await getLocalText(`${base}/other`)).toBeUndefined();
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    expect(await getLocalText(`http://127.0.0.1:${port}/healthz`)).toBeUndefined();
  });

  it('keeps at most 1 MB of a body', async () => {
    expect((await getLocalText(`${base}/big`))?.length).toBe(1_000_000);
  });

  it('gives up on an answer that trickles past the timeout', async () => {
    const started = Date.now();
    expect(await getLocalText(`${base}/trickle`, 300)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
