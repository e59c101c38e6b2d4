import type { RolePart, SupervisorStatus } from '../../state/status.js';

/** The runner role's part of the status (state/status.ts has the core). */
export interface RunnerStatusPart {
  role: 'runner';
  runnerId: string | undefined;
  capacity: number | undefined;
  activeSessions: number | undefined;
  sessionsSeen: number;
  lastPollAgeMs: number | undefined;
  healthStatus: string | undefined;
  healthCheckedAt: string | undefined;
}

export type RunnerStatus = SupervisorStatus<RunnerStatusPart>;

/** Fields that change on every health poll: on their own they do not rewrite status.json. */
export const runnerVolatileFields = ['lastPollAgeMs', 'healthCheckedAt'] as const;

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const count = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** The runner's part of a status read from disk (or of another role's: then all unknown). */
export function runnerPartOf(status: SupervisorStatus | undefined): RunnerStatusPart {
  const part: RolePart = status?.role === 'runner' ? status : {};
  return {
    role: 'runner',
    runnerId: text(part.runnerId),
    capacity: count(part.capacity),
    activeSessions: count(part.activeSessions),
    sessionsSeen: count(part.sessionsSeen) ?? 0,
    lastPollAgeMs: count(part.lastPollAgeMs),
    healthStatus: text(part.healthStatus),
    healthCheckedAt: text(part.healthCheckedAt),
  };
}
