import { nodeHttpClient } from '../coder-api/http.js';
import { adoptProcess, spawnProcess, type ProcessHandle, type SpawnOptions } from '../process/supervised-process.js';
import type { RoleBaseRuntime } from '../roles/role.js';
import { isSameProcessAlive, processStartTime } from '../shared/process-info.js';

/**
 * What the executor does to the outside world, for every supervised program alike (each role
 * brings its own calls beside these: roles/<name>/<name>-runtime.ts); injectable for tests.
 */
export interface SupervisorRuntime extends RoleBaseRuntime {
  random: () => number;
  pid: number;
  spawnProcess: (options: SpawnOptions) => ProcessHandle;
  adoptProcess: (pid: number, isAlive: () => boolean, now: () => number) => ProcessHandle;
  isSameProcessAlive: (pid: number, startTime: string | undefined) => boolean;
  processStartTime: (pid: number) => string | undefined;
}

export const systemRuntime: SupervisorRuntime = {
  now: Date.now,
  random: Math.random,
  env: process.env,
  pid: process.pid,
  http: nodeHttpClient,
  spawnProcess,
  adoptProcess,
  isSameProcessAlive,
  processStartTime,
};
