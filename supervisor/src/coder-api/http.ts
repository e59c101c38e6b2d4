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

/**
 * HTTP through Node's global fetch, which is undici shipped inside Node: the same client and
 * error codes, without adding the undici package's ~0.5 MB to a bundle that every workspace
 * carries. The timeout covers the whole exchange, body included.
 */
export const fetchHttpClient: HttpClient = {
  async send(method, url, headers, body, timeoutMs) {
    const response = await fetch(url, {
      method,
      headers,
      body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    const text = await response.text();
    return { status: response.status, retryAfter: response.headers.get('retry-after') ?? undefined, body: text };
  },
};

/** The code of a failed exchange: fetch wraps socket errors, so the useful code is on `cause`. */
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
  // No code: fetch's own refusals (a "bad port" such as 9) say it only in the cause's message.
  const message = innermost === error ? undefined : (innermost as Error).message;
  if (typeof message === 'string' && message.length > 0) return message.slice(0, 80);
  // A DOMException (TimeoutError, AbortError) has a numeric legacy `code`: its name says more.
  return (error as Error).name ?? 'error';
}
