import net from 'node:net';

/**
 * The runner (and the orchestrator) binds its /healthz on every interface and only warns when the port is taken, then
 * runs on without it, so the supervisor would be blind: check that the port is free first.
 */
export function healthPortProblem(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      resolve(
        error.code === 'EADDRINUSE'
          ? `health port ${port} is already in use by another process, so the runner would run without /healthz and the supervisor could not watch it: set health_port to a free port`
          : undefined,
      );
    });
    server.listen({ port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}
