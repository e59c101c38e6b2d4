import { escapeControls } from '../shared/escape-controls.js';
import type { SupervisorStatus } from './status.js';

/**
 * The dashboard items, one plain-text file each, so the agent's metadata scripts only `cat`
 * a file. The keys are the module's metadata keys (a contract with outputs.tf).
 */
export type DashboardItems = Record<
  | '0_lock_status'
  | '1_active_sessions'
  | '2_runner_id'
  | '3_last_poll'
  | '4_supervisor_state'
  | '5_restarts'
  | '6_last_error',
  string
>;

/** Beyond this age the runner's last poll of Anthropic counts as stale (as the registry module does). */
export const stalePollMs = 30_000;

const oneLine = (text: string, max: number): string => {
  const flat = escapeControls(text.replace(/\s+/g, ' ').trim());
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

export function formatLastPoll(ageMs: number | undefined): string {
  if (ageMs === undefined) return '?';
  if (ageMs < stalePollMs) return `ok (${Math.round(ageMs)}ms ago)`;
  return `stale (${Math.floor(ageMs / 1000)}s ago)`;
}

/**
 * Isolation off (issue 13) or partial (docker access) is said on the dashboard; on, what the host
 * still allows (issue 28: same-user ptrace, docker), in short; `status` says all of it.
 */
const isolationNote = (status: SupervisorStatus): string => {
  const label = status.isolation ?? '';
  if (label.startsWith('isolation: partial')) return ` (${label.replace(/ \(.*$/, '')})`;
  // On: what the host still allows (ptrace within a user, docker), from the label's host part,
  // while the runner runs; a quarantine's or an eviction's reason needs the room more.
  const host = /; host: ([^;]*)\)$/.exec(label)?.[1];
  const running = status.state === 'running' || status.state === 'starting';
  if (label.startsWith('isolation: on') && host && running) return ` (isolation on; ${host})`;
  return label.startsWith('isolation: off') && !/runner_user = none|not prepared/.test(label) ? ` (${label})` : '';
};

export function dashboardItems(status: SupervisorStatus): DashboardItems {
  const runnerUp = status.runnerPid !== undefined && (status.state === 'running' || status.state === 'draining');
  return {
    '0_lock_status': status.locked ? 'locked' : 'unlocked',
    '1_active_sessions':
      runnerUp && status.activeSessions !== undefined && status.capacity !== undefined
        ? `${status.activeSessions} / ${status.capacity}`
        : '?',
    // Known to be coming while the supervisor starts it (its checks run first, as the runner user).
    '2_runner_id': status.runnerId ?? (runnerUp || status.state === 'starting' ? '(starting)' : '?'),
    '3_last_poll': runnerUp ? formatLastPoll(status.lastPollAgeMs) : '?',
    // The isolation note is never cut off: the state's words make room for it.
    '4_supervisor_state': `${oneLine(status.display ?? `${status.state}: ${status.reason}`, 160 - isolationNote(status).length)}${isolationNote(status)}`,
    '5_restarts': String(status.restarts),
    '6_last_error': status.lastError ? oneLine(status.lastError, 200) : 'none',
  };
}
