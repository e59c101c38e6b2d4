import http from 'node:http';
import type https from 'node:https';

/** One answer of an HTTP exchange. */
export interface HttpAnswer {
  status: number;
  retryAfter: string | undefined;
  body: string;
}

/*
 * Plain node:http (node:https for an https deployment, loaded only then) rather than Node's
 * global fetch: fetch loads the undici that Node bundles, which then stays resident (13 MiB of
 * an idle supervisor's RSS after the token check at boot, bench/RESULTS.md) and costs its load
 * time on the way to the runner's spawn. The supervisor's few requests (to Coder, and the polls
 * of its child's health port) need none of it.
 * Kept-alive connections; an idle one is closed after 4 s and never holds the process open.
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

export interface ExchangeOptions {
  /** Bytes of the body kept; the rest is read and dropped (a child's health port is not trusted). */
  maxBodyBytes?: number;
  /** The agent of a plain-http target, instead of the one for Coder. */
  agent?: http.Agent;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One request. The timeout covers the whole exchange, body included. Redirects are refused, never followed. */
export function httpExchange(
  method: HttpMethod,
  url: string,
  headers: Record<string, string>,
  body: string | Uint8Array | undefined,
  timeoutMs: number,
  options: ExchangeOptions = {},
): Promise<HttpAnswer> {
  const target = new URL(url);
  const maxBodyBytes = options.maxBodyBytes ?? Infinity;
  return transport(target).then(
    ({ module, agent: usual }) =>
      new Promise<HttpAnswer>((resolve, reject) => {
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
        const payload = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
        const request = module.request(
          target,
          {
            method,
            agent: module === http ? (options.agent ?? usual) : usual,
            headers: payload ? { ...headers, 'Content-Length': String(payload.length) } : headers,
          },
          (response) => {
            const status = response.statusCode ?? 0;
            if (status >= 300 && status < 400) {
              settle(Object.assign(new Error(`unexpected redirect (${status})`), { code: 'ERR_REDIRECT' }));
              return;
            }
            const chunks: Buffer[] = [];
            let kept = 0;
            response.on('data', (chunk: Buffer) => {
              if (kept >= maxBodyBytes) return;
              const part = chunk.subarray(0, maxBodyBytes - kept);
              chunks.push(part);
              kept += part.length;
            });
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
      }),
  );
}
