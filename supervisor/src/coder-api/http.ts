import http from 'node:http';
import type https from 'node:https';

/** One answer of an HTTP exchange, as the Coder clients read it. */
export interface HttpAnswer {
  status: number;
  retryAfter: string | undefined;
  body: string;
}

/** The HTTP exchange, injectable for tests. */
export interface HttpClient {
  send(
    method: 'GET' | 'POST',
    url: string,
    headers: Record<string, string>,
    body: string | undefined,
    timeoutMs: number,
  ): Promise<HttpAnswer>;
}

/*
 * Plain node:http (node:https for an https deployment, loaded only then) rather than Node's
 * global fetch: fetch loads the undici that Node bundles, which then stays resident (13 MiB of
 * an idle supervisor's RSS after the token check at boot, bench/RESULTS.md) and costs its load
 * time on the way to the runner's spawn. A few requests to Coder need none of it.
 * Kept-alive connections, as fetch kept them; an idle one is closed after 4 s (fetch's own
 * keep-alive time) and never holds the process open.
 */
const keepAlive = { keepAlive: true, timeout: 4000 };
const plainAgent = new http.Agent(keepAlive);
let tls: Promise<{ module: typeof https; agent: https.Agent }> | undefined;

function transport(url: URL): Promise<{ module: typeof http | typeof https; agent: http.Agent }> {
  if (url.protocol === 'http:') return Promise.resolve({ module: http, agent: plainAgent });
  if (url.protocol !== 'https:') {
    const error = Object.assign(new Error(`unsupported URL scheme ${url.protocol}`), {
      code: 'ERR_INVALID_URL_SCHEME',
    });
    return Promise.reject(error);
  }
  tls ??= import('node:https').then((module) => ({ module, agent: new module.Agent(keepAlive) }));
  return tls;
}

/** A timeout of the whole exchange reads as fetch's did: a DOMException named TimeoutError. */
const timeoutError = (ms: number): Error => new DOMException(`no answer within ${ms} ms`, 'TimeoutError');

/** The timeout covers the whole exchange, body included. Redirects are refused, never followed. */
export const nodeHttpClient: HttpClient = {
  async send(method, url, headers, body, timeoutMs) {
    const target = new URL(url);
    const { module, agent } = await transport(target);
    return new Promise<HttpAnswer>((resolve, reject) => {
      let settled = false;
      const settle = (error: Error | undefined, answer?: HttpAnswer): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) {
          request.destroy();
          reject(error);
        } else resolve(answer as HttpAnswer);
      };
      const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
      const request = module.request(
        target,
        { method, agent, headers: payload ? { ...headers, 'Content-Length': String(payload.length) } : headers },
        (response) => {
          const status = response.statusCode ?? 0;
          if (status >= 300 && status < 400) {
            settle(Object.assign(new Error(`unexpected redirect (${status})`), { code: 'ERR_REDIRECT' }));
            return;
          }
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', (error) => settle(error));
          response.on('end', () => {
            const retryAfter = response.headers['retry-after'];
            settle(undefined, {
              status,
              retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
              body: Buffer.concat(chunks).toString('utf8'),
            });
          });
          // Closed before its end (the server went away mid-body).
          response.on('close', () =>
            settle(Object.assign(new Error('the answer ended early'), { code: 'ECONNRESET' })),
          );
        },
      );
      const timer = setTimeout(() => settle(timeoutError(timeoutMs)), timeoutMs);
      request.on('error', (error) => settle(error));
      request.end(payload);
    });
  },
};

/** The code of a failed exchange: a socket error's own code, a wrapped one's (`cause`), else its name. */
export function failureCode(error: unknown): string {
  // The code may sit a cause or two down, or in the first of an AggregateError's errors.
  let current: unknown = error;
  let innermost: unknown = error;
  for (let depth = 0; depth < 4 && current; depth += 1) {
    const own = (current as { code?: unknown }).code;
    if (typeof own === 'string') return own;
    innermost = current;
    const inner = (current as { errors?: unknown[] }).errors?.[0];
    current = (current as { cause?: unknown }).cause ?? inner;
  }
  // No code anywhere: a wrapped failure says what it is only in its cause's message.
  const message = innermost === error ? undefined : (innermost as Error).message;
  if (typeof message === 'string' && message.length > 0) return message.slice(0, 80);
  // A DOMException (TimeoutError, AbortError) has a numeric legacy `code`: its name says more.
  return (error as Error).name ?? 'error';
}
