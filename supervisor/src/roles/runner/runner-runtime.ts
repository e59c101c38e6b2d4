import { checkSelfEvictToken, type TokenCheck, type TokenCheckOptions } from '../../eviction/token-check.js';
import type { HttpClient } from '../../coder-api/http.js';
import { detectRunnerVersion, type RunnerVersion } from '../claude-version.js';
import type { RoleBaseRuntime } from '../role.js';
import { fetchHealth, fetchMetrics, type HealthSnapshot, type MetricsSnapshot } from './health.js';
import { preflightProblems, type PreflightOptions } from './preflight.js';

/** What the runner role calls out to, beyond what every role gets: injectable for tests. */
export interface RunnerRoleRuntime extends RoleBaseRuntime {
  detectRunnerVersion: (binary: string) => Promise<RunnerVersion>;
  fetchHealth: (port: number) => Promise<HealthSnapshot | undefined>;
  fetchMetrics: (port: number) => Promise<MetricsSnapshot | undefined>;
  preflightProblems: (options: PreflightOptions) => Promise<string[]>;
  checkToken: (options: TokenCheckOptions, http: HttpClient) => Promise<TokenCheck>;
}

/** The runner's own calls, on the real system. */
export const systemRunnerCalls: Omit<RunnerRoleRuntime, keyof RoleBaseRuntime> = {
  detectRunnerVersion,
  fetchHealth,
  fetchMetrics,
  preflightProblems,
  checkToken: checkSelfEvictToken,
};
