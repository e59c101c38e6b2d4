import http from 'node:http';

/*
 * Plain node:http for the local polls of the runner's and the orchestrator's health ports:
 * Node's fetch loads its bundled undici, about 12 MB of resident memory for an idle supervisor
 * that polls every few seconds; http.get costs ~4 MB.
 */
// One kept-alive connection to the child instead of a new one per poll.
const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });

/** The body of a 200 answer (capped at 1 MB); undefined for any other answer, an error or a timeout. */
export function getLocalText(url: string, timeoutMs = 2000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const request = http.get(url, { timeout: timeoutMs, agent }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (body.length < 1_000_000) body += chunk;
      });
      response.on('end', () => resolve(response.statusCode === 200 ? body : undefined));
      response.on('error', () => resolve(undefined));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(undefined));
  });
}
