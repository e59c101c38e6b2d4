import type { HttpClient } from '../eviction/evict-workspace.js';

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
