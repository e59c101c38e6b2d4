import { nodeHttpClient, type HttpClient } from '../coder-api/http.js';
import { checkSelfEvictToken, type TokenCheck, type TokenCheckOptions } from '../eviction/token-check.js';
import { adoptProcess, spawnProcess, type ProcessHandle, type SpawnOptions } from '../process/supervised-process.js';
import { fetchHealth, fetchMetrics, type HealthSnapshot, type MetricsSnapshot } from '../roles/runner/health.js';
import { preflightProblems, type PreflightOptions } from '../roles/runner/preflight.js';
import { detectRunnerVersion, type RunnerVersion } from '../roles/runner/runner-version.js';
import { isSameProcessAlive, processStartTime } from '../shared/process-info.js';

/** Everything the executor and its roles do to the outside world, injectable for tests. */
export interface SupervisorRuntime {
  now: () => number;
  random: () => number;
  env: NodeJS.ProcessEnv;
  pid: number;
  spawnProcess: (options: SpawnOptions) => ProcessHandle;
  adoptProcess: (pid: number, isAlive: () => boolean, now: () => number) => ProcessHandle;
  detectRunnerVersion: (binary: string) => Promise<RunnerVersion>;
  fetchHealth: (port: number) => Promise<HealthSnapshot | undefined>;
  fetchMetrics: (port: number) => Promise<MetricsSnapshot | undefined>;
  http: HttpClient;
  preflightProblems: (options: PreflightOptions) => Promise<string[]>;
  checkToken: (options: TokenCheckOptions, http: HttpClient) => Promise<TokenCheck>;
  isSameProcessAlive: (pid: number, startTime: string | undefined) => boolean;
  processStartTime: (pid: number) => string | undefined;
}

export const systemRuntime: SupervisorRuntime = {
  now: Date.now,
  random: Math.random,
  env: process.env,
  pid: process.pid,
  spawnProcess,
  adoptProcess,
  detectRunnerVersion,
  fetchHealth,
  fetchMetrics,
  http: nodeHttpClient,
  preflightProblems,
  checkToken: checkSelfEvictToken,
  isSameProcessAlive,
  processStartTime,
};
