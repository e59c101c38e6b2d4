import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { failureCode, nodeHttpClient } from '../../../../supervisor/src/coder-api/http.js';

/** A loopback port that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function sendError(url: string, timeoutMs = 5000): Promise<unknown> {
  try {
    await nodeHttpClient.send('GET', url, {}, undefined, timeoutMs);
  } catch (error) {
    return error;
  }
  throw new Error(`GET ${url} did not fail`);
}

describe('failureCode (what a failed exchange with Coder is called in logs and nacks)', () => {
  it("names a refused connection by the socket's code", async () => {
    expect(failureCode(await sendError(`http://127.0.0.1:${await closedPort()}/`))).toBe('ECONNREFUSED');
  });

  it('names a timeout by its name, not its numeric legacy code', async () => {
    const server = net.createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      expect(failureCode(await sendError(`http://127.0.0.1:${port}/`, 100))).toBe('TimeoutError');
    } finally {
      server.close();
    }
  });

  it('finds the code a cause down, or in the first error of an AggregateError', () => {
    const inner = Object.assign(new Error('connect'), { code: 'EHOSTUNREACH' });
    expect(failureCode(new TypeError('failed', { cause: new AggregateError([inner]) }))).toBe('EHOSTUNREACH');
  });

  it("says a wrapped failure that has no code in its cause's words", () => {
    expect(failureCode(new TypeError('failed', { cause: new Error('bad port') }))).toBe('bad port');
  });
});
