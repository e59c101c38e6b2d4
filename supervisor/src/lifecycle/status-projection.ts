import type { PolicyState } from './policy-types.js';
import type { RoleName } from '../config/inputs.js';
import type { RolePart, SupervisorStatus } from '../state/status.js';

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
  /** The role's part of the status (roles/<name>/<name>-status.ts), with its name. */
  fields: { role: RoleName } & RolePart;
}

/** status.json and the dashboard: a pure function of the policy state, the observations and the role's part. */
export function projectStatus(state: PolicyState, obs: Observations, role: RoleStatus, now: number): SupervisorStatus {
  return {
    ...role.fields,
    schema: 1,
    state: state.phase,
    reason: state.reason,
    display: role.display,
    locked: state.locked,
    lockSource: state.lockSource,
    supervisorPid: obs.supervisorPid,
    programPid: obs.program?.pid,
    programStartTime: obs.program?.startTime,
    programVersion: obs.programVersion,
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
  };
}
