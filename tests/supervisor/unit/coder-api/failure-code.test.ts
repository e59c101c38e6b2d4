import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { failureCode } from '../../../../supervisor/src/coder-api/http.js';

/** A loopback port that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function fetchError(url: string, init: RequestInit = {}): Promise<unknown> {
  try {
    await fetch(url, init);
  } catch (error) {
    return error;
  }
  throw new Error(`fetch ${url} did not fail`);
}

describe('failureCode (what a failed exchange with Coder is called in logs and nacks)', () => {
  it("names a refused connection by the socket's code, which fetch hides in its cause", async () => {
    expect(failureCode(await fetchError(`http://127.0.0.1:${await closedPort()}/`))).toBe('ECONNREFUSED');
  });

  it("says fetch's own refusal, which has no code, in the cause's words", async () => {
    expect(failureCode(await fetchError('http://127.0.0.1:9/'))).toBe('bad port');
  });

  it('names a timeout by its name, not its numeric legacy code', async () => {
    const server = net.createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const error = await fetchError(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(100) });
      expect(failureCode(error)).toBe('TimeoutError');
    } finally {
      server.close();
    }
  });

  it('finds the code in the first error of an AggregateError', () => {
    const inner = Object.assign(new Error('connect'), { code: 'EHOSTUNREACH' });
    expect(failureCode(new TypeError('fetch failed', { cause: new AggregateError([inner]) }))).toBe('EHOSTUNREACH');
  });
});
