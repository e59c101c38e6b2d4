import { supervisorItemKeys, supervisorItems, type SupervisorItemKey } from '../../state/items.js';
import type { SupervisorStatus } from '../../state/status.js';
import { runnerPartOf } from './runner-status.js';

/** The runner's dashboard items: the module's metadata keys (module/metadata-items.json, read by outputs.tf). */
export type RunnerItemKey = '0_lock_status' | '1_active_sessions' | '2_runner_id' | '3_last_poll' | SupervisorItemKey;

export const runnerItemKeys: readonly RunnerItemKey[] = [
  '0_lock_status',
  '1_active_sessions',
  '2_runner_id',
  '3_last_poll',
  ...supervisorItemKeys,
];

/** Beyond this age the runner's last poll of Anthropic counts as stale (as the registry module does). */
export const stalePollMs = 30_000;

export function formatLastPoll(ageMs: number | undefined): string {
  if (ageMs === undefined) return '?';
  if (ageMs < stalePollMs) return `ok (${Math.round(ageMs)}ms ago)`;
  return `stale (${Math.floor(ageMs / 1000)}s ago)`;
}

/**
 * Isolation off (issue 13) or partial (docker access) is said on the dashboard; on, what the host
 * still allows (issue 28: same-user ptrace, docker), in short; `status` says all of it.
 */
export function isolationNote(status: SupervisorStatus): string {
  const label = status.isolation ?? '';
  if (label.startsWith('isolation: partial')) return ` (${label.replace(/ \(.*$/, '')})`;
  // On: what the host still allows (ptrace within a user, docker), from the label's host part,
  // while the runner runs; a quarantine's or an eviction's reason needs the room more.
  const host = /; host: ([^;]*)\)$/.exec(label)?.[1];
  const running = status.state === 'running' || status.state === 'starting';
  if (label.startsWith('isolation: on') && host && running) return ` (isolation on; ${host})`;
  return label.startsWith('isolation: off') && !/runner_user = none|not prepared/.test(label) ? ` (${label})` : '';
}

export function runnerItems(status: SupervisorStatus): Record<RunnerItemKey, string> {
  const runner = runnerPartOf(status);
  const runnerUp = status.programPid !== undefined && (status.state === 'running' || status.state === 'draining');
  return {
    '0_lock_status': status.locked ? 'locked' : 'unlocked',
    '1_active_sessions':
      runnerUp && runner.activeSessions !== undefined && runner.capacity !== undefined
        ? `${runner.activeSessions} / ${runner.capacity}`
        : '?',
    // Known to be coming while the supervisor starts it (its checks run first, as the runner user).
    '2_runner_id': runner.runnerId ?? (runnerUp || status.state === 'starting' ? '(starting)' : '?'),
    '3_last_poll': runnerUp ? formatLastPoll(runner.lastPollAgeMs) : '?',
    // The isolation note is never cut off: the state's words make room for it.
    ...supervisorItems(status, isolationNote(status)),
  };
}
