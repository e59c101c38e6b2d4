import type { HttpClient } from '../../coder-api/http.js';
import { checkSpawnToken, type SpawnTokenCheck, type SpawnTokenCheckOptions } from '../../spawn/spawn-token-check.js';
import { detectRunnerVersion, type RunnerVersion } from '../claude-version.js';
import type { RoleBaseRuntime } from '../role.js';

/** What the orchestrator role calls out to, beyond what every role gets: injectable for tests. */
export interface OrchestratorRoleRuntime extends RoleBaseRuntime {
  detectRunnerVersion: (binary: string) => Promise<RunnerVersion>;
  checkToken: (options: SpawnTokenCheckOptions, http: HttpClient) => Promise<SpawnTokenCheck>;
}

/** The orchestrator's own calls, on the real system. */
export const systemOrchestratorCalls: Omit<OrchestratorRoleRuntime, keyof RoleBaseRuntime> = {
  detectRunnerVersion,
  checkToken: checkSpawnToken,
};
