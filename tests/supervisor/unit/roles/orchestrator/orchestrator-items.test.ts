import metadataItems from '../../../../../module/orchestrator-metadata-items.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { orchestratorItems } from '../../../../../supervisor/src/roles/orchestrator/orchestrator-items.js';
import type { OrchestratorView } from '../../../../../supervisor/src/roles/orchestrator/orchestrator-status.js';
import { emptyStatus, type SupervisorStatus } from '../../../../../supervisor/src/state/status.js';

const view: OrchestratorView = {
  connected: true,
  lastPollAt: '2026-12-07T10:00:00.000Z',
  lastError: undefined,
  hooks: { ok: 7, retryable: 2, nonRetryable: 1 },
  standbyDispatched: 3,
  minIdle: 2,
  pending: 0,
};

/** A running orchestrator's status with its view (or another role's, or a stopped one). */
const status = (over: Partial<SupervisorStatus> = {}, orchestrator: Partial<OrchestratorView> = {}) =>
  ({
    ...emptyStatus(new Date(0), 'orchestrator'),
    state: 'running',
    programPid: 42,
    orchestrator: { ...view, ...orchestrator },
    ...over,
  }) as SupervisorStatus;

describe("the orchestrator's dashboard items", () => {
  it('are exactly the items of its module metadata list, in its order', () => {
    expect(Object.keys(orchestratorItems(status()))).toEqual(metadataItems.map((item) => item.key));
  });

  it('0_connected: whether it polls Anthropic, ? while it is not up', () => {
    expect(orchestratorItems(status())['0_connected']).toBe('connected');
    expect(orchestratorItems(status({}, { connected: false }))['0_connected']).toBe('not connected');
    expect(orchestratorItems(status({}, { connected: undefined }))['0_connected']).toBe('?');
    expect(orchestratorItems(status({ state: 'backoff' }))['0_connected']).toBe('?');
    expect(orchestratorItems(status({ programPid: undefined }))['0_connected']).toBe('?');
  });

  it('1_last_poll: the time of its last spawn poll', () => {
    expect(orchestratorItems(status())['1_last_poll']).toBe('2026-12-07T10:00:00.000Z');
    expect(orchestratorItems(status({}, { lastPollAt: undefined }))['1_last_poll']).toBe('?');
  });

  it('2_spawn_hooks: the hooks by outcome', () => {
    expect(orchestratorItems(status())['2_spawn_hooks']).toBe('7 ok / 2 retryable / 1 refused');
    expect(orchestratorItems(status({}, { hooks: undefined }))['2_spawn_hooks']).toBe('?');
  });

  it('3_standby: standby orders dispatched, with min_idle', () => {
    expect(orchestratorItems(status())['3_standby']).toBe('3 dispatched (min_idle 2)');
    expect(orchestratorItems(status({}, { standbyDispatched: undefined }))['3_standby']).toBe('?');
  });

  it("4_supervisor_state: the state's words on one line, cut to what the item shows", () => {
    expect(
      orchestratorItems(status({ display: 'serving spawn requests:\n last poll 3s ago' }))['4_supervisor_state'],
    ).toBe('serving spawn requests: last poll 3s ago');
    const long = orchestratorItems(status({ display: 'x'.repeat(400) }))['4_supervisor_state'];
    expect(long).toHaveLength(160);
    expect(long.endsWith('…')).toBe(true);
    expect(
      orchestratorItems(status({ display: undefined, state: 'quarantined', reason: 'r' }))['4_supervisor_state'],
    ).toBe('quarantined: r');
  });

  it('5_restarts: the restarts', () => {
    expect(orchestratorItems(status({ restarts: 3 }))['5_restarts']).toBe('3');
  });

  it("6_last_error: the supervisor's last error, else the orchestrator's own, else none", () => {
    expect(orchestratorItems(status())['6_last_error']).toBe('none');
    expect(orchestratorItems(status({}, { lastError: 'poll failed: ECONNREFUSED' }))['6_last_error']).toBe(
      'poll failed: ECONNREFUSED',
    );
    expect(orchestratorItems(status({ lastError: 'crash loop' }, { lastError: 'x' }))['6_last_error']).toBe(
      'crash loop',
    );
  });

  it("reads nothing of another role's part", () => {
    const runner = { ...status(), role: 'runner' } as SupervisorStatus;
    expect(orchestratorItems(runner)['2_spawn_hooks']).toBe('?');
  });
});
