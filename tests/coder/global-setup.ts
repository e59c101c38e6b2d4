import type { TestProject } from 'vitest/node';
import { recordTiming, startCoderServer, type CoderServerInfo } from '../fixtures/coder-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    coder: CoderServerInfo;
  }
}

/** One real Coder server for every file of tests/coder (see tests/fixtures/coder-server.ts). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startCoderServer();
  recordTiming('postgres-ready', server.info.timings.postgresReadyMs);
  recordTiming('server-ready', server.info.timings.serverReadyMs);
  project.provide('coder', server.info);
  return server.close;
}
