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
  const cause = (error as { cause?: { code?: string } }).cause;
  const own = (error as { code?: unknown }).code;
  // A DOMException (TimeoutError, AbortError) has a numeric legacy `code`: its name says more.
  return cause?.code ?? (typeof own === 'string' ? own : undefined) ?? (error as Error).name ?? 'error';
}
