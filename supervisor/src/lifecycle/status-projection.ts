import type { PolicyState } from './policy-types.js';
import type { SupervisorStatus } from '../state/status.js';

/** What the executor has seen of the process itself (the role keeps what it sees of the program). */
export interface Observations {
  supervisorPid: number;
  startedAt: string;
  program: { pid: number; startTime: string | undefined } | undefined;
  programVersion: string | undefined;
  /** The isolation label (docs/isolation.md). */
  isolation: string | undefined;
}

/** The role's part of the status: its dashboard words and the fields only it knows. */
export interface RoleStatus {
  display: string;
  fields: Partial<SupervisorStatus>;
}

/** status.json and the dashboard: a pure function of the policy state and the observations. */
export function projectStatus(state: PolicyState, obs: Observations, role: RoleStatus, now: number): SupervisorStatus {
  return {
    schema: 1,
    state: state.phase,
    reason: state.reason,
    display: role.display,
    locked: state.locked,
    lockSource: state.lockSource,
    supervisorPid: obs.supervisorPid,
    runnerPid: obs.program?.pid,
    runnerStartTime: obs.program?.startTime,
    runnerId: undefined,
    runnerVersion: obs.programVersion,
    capacity: undefined,
    activeSessions: undefined,
    sessionsSeen: 0,
    lastPollAgeMs: undefined,
    healthStatus: undefined,
    healthCheckedAt: undefined,
    restarts: state.restarts,
    lastError: state.lastError,
    retireAtEpochSec: state.retireAt === undefined ? undefined : Math.floor(state.retireAt / 1000),
    eviction: state.eviction,
    tokenCheck: state.credentialCheck,
    startedAt: obs.startedAt,
    updatedAt: new Date(now).toISOString(),
    isolation: obs.isolation,
    outageSince: state.unreachableSince === undefined ? undefined : new Date(state.unreachableSince).toISOString(),
    outageTries: state.unreachableInRow > 0 ? state.unreachableInRow : undefined,
    orderUsed: state.orderUsed || undefined,
    ...role.fields,
  };
}
