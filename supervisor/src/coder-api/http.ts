import { httpExchange, type HttpAnswer, type HttpMethod } from '../shared/http-exchange.js';

export type { HttpAnswer, HttpMethod };

/** The HTTP exchange, injectable for tests. */
export interface HttpClient {
  send(
    method: HttpMethod,
    url: string,
    headers: Record<string, string>,
    body: string | Uint8Array | undefined,
    timeoutMs: number,
  ): Promise<HttpAnswer>;
}

/** The supervisor's node:http exchange (shared/http-exchange.ts). */
export const nodeHttpClient: HttpClient = {
  send: (method, url, headers, body, timeoutMs) => httpExchange(method, url, headers, body, timeoutMs),
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
