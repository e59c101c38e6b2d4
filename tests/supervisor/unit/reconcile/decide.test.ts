import { describe, expect, it } from 'vitest';
import {
  decideReconcile,
  type ReconcileAction,
  type ReconcileBounds,
  type RunnerWorkspaceFacts,
} from '../../../../supervisor/src/reconcile/decide.js';

const now = 1_800_000_000_000;
const min = 60_000;
const bounds: ReconcileBounds = {
  failedGraceMs: 2 * min,
  agentBoundMs: 10 * min,
  buildBoundMs: 20 * min,
  maxDeleteAttempts: 3,
};

/** A runner workspace whose start build succeeded 1 min ago and whose agent is connected. */
function ws(over: Partial<RunnerWorkspaceFacts> = {}, build: Partial<RunnerWorkspaceFacts['build']> = {}) {
  return {
    id: 'w1',
    name: 'claude-run-1',
    createdAtMs: now - 2 * min,
    prebuild: false,
    agent: 'connected',
    runner: 'none',
    session: undefined,
    failedDeletes: 0,
    ...over,
    build: { transition: 'start', job: 'succeeded', createdAtMs: now - 2 * min, completedAtMs: now - min, ...build },
  } satisfies RunnerWorkspaceFacts;
}

const one = (w: RunnerWorkspaceFacts): ReconcileAction =>
  decideReconcile([w], now, bounds).get(w.id) as ReconcileAction;
const kindOf = (a: ReconcileAction) => (a.kind === 'keep' ? 'keep' : `${a.kind}:${a.reason}`);

/** The reconciler's table: one row per case. */
describe("the reconciler's decisions", () => {
  it.each<[string, RunnerWorkspaceFacts, string]>([
    ['a healthy runner workspace', ws(), 'keep'],
    ['a prebuild, even a failed one', ws({ prebuild: true }, { job: 'failed', completedAtMs: now - 60 * min }), 'keep'],
    ['a registered runner, even a stopped one', ws({ runner: 'registered' }, { transition: 'stop' }), 'keep'],
    ['a serving runner whose agent disconnected', ws({ runner: 'serving', agent: 'disconnected' }), 'keep'],
    ['a failed start build within its grace', ws({}, { job: 'failed', completedAtMs: now - min }), 'keep'],
    [
      'a failed start build past its grace',
      ws({}, { job: 'failed', completedAtMs: now - 3 * min }),
      'delete:failed-build',
    ],
    [
      'a cancelled start build past its grace',
      ws({}, { job: 'canceled', completedAtMs: now - 3 * min }),
      'delete:failed-build',
    ],
    ['a build that is being cancelled', ws({}, { job: 'canceling', completedAtMs: undefined }), 'keep'],
    ['a young pending build', ws({}, { job: 'pending', createdAtMs: now - min, completedAtMs: undefined }), 'keep'],
    [
      'a build pending past its bound',
      ws({}, { job: 'pending', createdAtMs: now - 21 * min, completedAtMs: undefined }),
      'cancel-then-delete:build-stuck',
    ],
    [
      'a build running past its bound',
      ws({}, { job: 'running', createdAtMs: now - 21 * min, completedAtMs: undefined }),
      'cancel-then-delete:build-stuck',
    ],
    ['an agent still connecting within its bound', ws({ agent: 'connecting' }), 'keep'],
    [
      'an agent that never connected past its bound',
      ws({ agent: 'connecting' }, { completedAtMs: now - 11 * min }),
      'delete:agent-never-connected',
    ],
    ['an agent that timed out', ws({ agent: 'timeout' }), 'delete:agent-never-connected'],
    [
      'no agent at all past the bound',
      ws({ agent: undefined }, { completedAtMs: now - 11 * min }),
      'delete:agent-never-connected',
    ],
    [
      'an agent that disconnected after it connected (its supervisor decides)',
      ws({ agent: 'disconnected' }, { completedAtMs: now - 60 * min }),
      'keep',
    ],
    ['a stopped workspace', ws({}, { transition: 'stop' }), 'delete:stopped'],
    ['a stop under way', ws({}, { transition: 'stop', job: 'running', completedAtMs: undefined }), 'keep'],
    ['a workspace being deleted', ws({}, { transition: 'delete', job: 'running', completedAtMs: undefined }), 'keep'],
    [
      'a failed delete build',
      ws({ failedDeletes: 1 }, { transition: 'delete', job: 'failed' }),
      'delete:delete-failed',
    ],
    [
      'a delete that failed too often',
      ws({ failedDeletes: 3 }, { transition: 'delete', job: 'failed' }),
      'stuck:delete-failed',
    ],
    ['a workspace whose runner is unknown and whose agent is connected', ws({ runner: 'unknown' }), 'keep'],
  ])('%s: %s', (_what, facts, expected) => {
    expect(kindOf(one(facts))).toBe(expected);
  });

  it('an older attempt for the same session, before its runner registered, is superseded by the newest', () => {
    const older = ws({ id: 'a', session: 's1', createdAtMs: now - 5 * min });
    const building = ws(
      { id: 'b', session: 's1', createdAtMs: now - 3 * min },
      { job: 'running', completedAtMs: undefined },
    );
    const newest = ws({ id: 'c', name: 'claude-run-3', session: 's1', createdAtMs: now - min });
    const other = ws({ id: 'd', session: 's2', createdAtMs: now - 9 * min });
    const actions = decideReconcile([older, building, newest, other], now, bounds);
    expect(kindOf(actions.get('a') as ReconcileAction)).toBe('delete:superseded');
    expect(kindOf(actions.get('b') as ReconcileAction)).toBe('cancel-then-delete:superseded');
    expect(actions.get('b')?.why).toMatch(/superseded by claude-run-3/);
    expect(kindOf(actions.get('c') as ReconcileAction)).toBe('keep');
    expect(kindOf(actions.get('d') as ReconcileAction)).toBe('keep');
  });

  it('never supersedes a runner that registered, nor one whose runner is unknown', () => {
    const registered = ws({ id: 'a', session: 's1', createdAtMs: now - 5 * min, runner: 'registered' });
    const unknown = ws({ id: 'b', session: 's1', createdAtMs: now - 4 * min, runner: 'unknown' });
    const newest = ws({ id: 'c', session: 's1', createdAtMs: now - min });
    const actions = decideReconcile([registered, unknown, newest], now, bounds);
    expect([...actions.values()].map(kindOf)).toEqual(['keep', 'keep', 'keep']);
  });
});
