import http from 'node:http';
import { httpExchange } from './http-exchange.js';

// One kept-alive connection to the child, kept between polls, instead of a new one per poll.
const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });

/**
 * The body of a 200 answer of a child's local port (the runner's or the orchestrator's health and
 * metrics), at most 1 MB of it; undefined for any other answer, an error or a timeout, which
 * covers the whole exchange: a port that trickles its answer cannot hold a poll open.
 */
export function getLocalText(url: string, timeoutMs = 2000): Promise<string | undefined> {
  return httpExchange('GET', url, {}, undefined, timeoutMs, { maxBodyBytes: 1_000_000, agent }).then(
    (answer) => (answer.status === 200 ? answer.body : undefined),
    () => undefined,
  );
}
