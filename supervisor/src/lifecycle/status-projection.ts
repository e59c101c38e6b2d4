import type { PolicyState } from './policy.js';
import type { RegistrationProgress } from '../roles/runner/classify-exit.js';
import { displayState } from './display-state.js';
import type { EvictionRecord, SupervisorStatus } from '../state/status.js';

/** What the supervisor has seen (processes, health polls, files): everything but the policy. */
export interface Observations {
  supervisorPid: number;
  startedAt: string;
  capacity: number;
  /** Locked by evidence found at boot (the lock record or the previous status). */
  lockedAtBoot: boolean;
  lockSource: string | undefined;
  runner: { pid: number; startTime: string | undefined } | undefined;
  runnerVersion: string | undefined;
  runnerId: string | undefined;
  activeSessions: number | undefined;
  lastPollAgeMs: number | undefined;
  healthStatus: string | undefined;
  healthCheckedAt: string | undefined;
  sessionsSeen: number;
  /** How the current runner's registration goes, from its lines. */
  registration: RegistrationProgress | undefined;
  /** The self-evict token's check at boot: ok, refused: <fix>, unknown: <why>. */
  tokenCheck: string | undefined;
  retireAtEpochSec: number | undefined;
  eviction: EvictionRecord | undefined;
  /** The isolation label (docs/isolation.md). */
  isolation?: string;
}

/** status.json and the dashboard: a pure function of the policy state and the observations. */
export function projectStatus(state: PolicyState, obs: Observations, now: number): SupervisorStatus {
  return {
    schema: 1,
    state: state.phase,
    reason: state.reason,
    display: displayState(state, obs),
    locked: state.locked || obs.lockedAtBoot,
    lockSource: obs.lockSource,
    supervisorPid: obs.supervisorPid,
    runnerPid: obs.runner?.pid,
    runnerStartTime: obs.runner?.startTime,
    runnerId: obs.runnerId,
    runnerVersion: obs.runnerVersion,
    capacity: obs.capacity,
    activeSessions: obs.runner ? obs.activeSessions : undefined,
    sessionsSeen: obs.sessionsSeen,
    lastPollAgeMs: obs.runner ? obs.lastPollAgeMs : undefined,
    healthStatus: obs.healthStatus,
    healthCheckedAt: obs.healthCheckedAt,
    restarts: state.restarts,
    lastError: state.lastError,
    retireAtEpochSec: obs.retireAtEpochSec,
    eviction: obs.eviction,
    tokenCheck: obs.tokenCheck,
    startedAt: obs.startedAt,
    updatedAt: new Date(now).toISOString(),
    isolation: obs.isolation,
    outageSince: state.unreachableSince === undefined ? undefined : new Date(state.unreachableSince).toISOString(),
    outageTries: state.unreachableInRow > 0 ? state.unreachableInRow : undefined,
  };
}
