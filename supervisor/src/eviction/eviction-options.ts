import type { SupervisorConfig } from '../config/config.js';
import type { EvictionOptions } from './evict-workspace.js';

/** The cap of one full-jitter retry delay. */
const maxRetryDelayMs = 60_000;
/** While another build is active, it is re-checked about every this many retry bases. */
const activeBuildDelayInBases = 5;

/** The eviction's options, derived from the configuration in this one place. */
export function evictionOptionsFrom(config: SupervisorConfig, verifyFirst: boolean): EvictionOptions {
  return {
    agentUrl: config.agentUrl,
    workspaceId: config.workspaceId,
    token: config.selfToken,
    deadlineMs: config.evictionDeadlineMs,
    requestTimeoutMs: config.evictionRequestTimeoutMs,
    baseDelayMs: config.evictionRetryBaseMs,
    maxDelayMs: maxRetryDelayMs,
    activeBuildDelayMs: config.evictionRetryBaseMs * activeBuildDelayInBases,
    verifyFirst,
  };
}
