import { describe, expect, it } from 'vitest';
import type { BootFacts } from '../../../../supervisor/src/lifecycle/boot.js';
import type { ExitKind } from '../../../../supervisor/src/lifecycle/exit-kind.js';
import {
  initialPolicyState,
  transition,
  type Effect,
  type PolicyEvent,
  type PolicyOptions,
  type PolicyState,
} from '../../../../supervisor/src/lifecycle/policy.js';
import { orchestratorProfile } from '../../../../supervisor/src/roles/orchestrator/orchestrator-profile.js';
import { onDemandRunnerProfile, poolRunnerProfile } from '../../../../supervisor/src/roles/runner/runner-profile.js';
import { emptyStatus, type SupervisorStatus } from '../../../../supervisor/src/state/status.js';

/** The policy's table: every decision of the supervisor, one row (or one small story) each. */
const options: PolicyOptions = {
  initialDelayMs: 5000,
  maxDelayMs: 300_000,
  shortRunMs: 60_000,
  crashLoopThreshold: 5,
  quarantineMs: 3_600_000,
  profile: poolRunnerProfile,
  maxLifetimeMs: 0,
  lifetimeGraceMs: 60_000,
  stopBudgetMs: 180_000,
  maxLockedMs: 0,
  orderWaitMs: 0,
};
const T = 1_800_000_000_000;

type Unstamped = PolicyEvent extends infer E ? (E extends unknown ? Omit<E, 'at'> : never) : never;
const at = (event: Unstamped, when = T): PolicyEvent => ({ ...event, at: when }) as PolicyEvent;

const facts = (over: Partial<BootFacts> = {}, previous?: Partial<SupervisorStatus>): BootFacts => ({
  previous: previous === undefined ? undefined : { ...emptyStatus(new Date(T)), ...previous },
  lockRecordExists: false,
  evidence: undefined,
  isolated: false,
  orphanAlive: false,
  hasOrder: false,
  ...over,
});
const boot = (over: Partial<BootFacts> = {}, previous?: Partial<SupervisorStatus>): PolicyEvent =>
  at({ type: 'boot', facts: facts(over, previous) });
const checked = (problems: string[] = []): PolicyEvent => at({ type: 'checks-done', problems });
const credentials = (verdict: 'ok' | 'refused' | 'unknown' = 'ok', problem?: string): PolicyEvent =>
  at({ type: 'credentials-checked', verdict, problem });
const spawned: PolicyEvent = at({ type: 'program-spawned' });
const timer = (name: Extract<PolicyEvent, { type: 'timer-elapsed' }>['timer']): PolicyEvent =>
  at({ type: 'timer-elapsed', timer: name });
const lock = (source = 'session wrapper'): PolicyEvent => at({ type: 'lock-observed', source });
const stop: PolicyEvent = at({ type: 'stop-requested' });
const exited = (
  runtimeMs = 1000,
  exitCode = 1,
  kind: ExitKind = exitCode === 0 ? 'clean' : 'crash',
  line?: string,
  extra: { lockEvidence?: string; spawnError?: string } = {},
): PolicyEvent =>
  at({
    type: 'program-exited',
    exitCode,
    signal: undefined,
    runtimeMs,
    spawnError: extra.spawnError,
    kind,
    line,
    ...extra,
  });
/** An exit that the runner explained in its own words. */
const said = (kind: ExitKind, line: string, exitCode = 1, runtimeMs = 15_000): PolicyEvent =>
  exited(runtimeMs, exitCode, kind, line);

const running: PolicyState = { ...initialPolicyState, phase: 'running', programAlive: true };

function play(events: PolicyEvent[], from: PolicyState = initialPolicyState, opts: PolicyOptions = options) {
  let state = from;
  const effects: Effect[] = [];
  for (const event of events) {
    const result = transition(state, event, opts);
    state = result.state;
    effects.push(...result.effects);
  }
  return { state, effects };
}

/** Effects in a few words: `evict`, `start-timer:restart`, `cancel-timers:restart,quarantine,order-wait`. */
function words(effects: Effect[]): string[] {
  return effects.map((e) => {
    if (e.type === 'start-timer') return `start-timer:${e.timer}`;
    if (e.type === 'cancel-timers') return `cancel-timers:${e.timers.join(',')}`;
    return e.type;
  });
}
const waiting = 'cancel-timers:restart,quarantine,order-wait';
const afterExit = 'cancel-timers:drain,cap';

describe('policy: the boot', () => {
  it.each<[string, PolicyEvent[], Partial<PolicyState>, string[]]>([
    [
      'a fresh boot checks the workspace and proves its credential at once (the user waits for both)',
      [boot()],
      { phase: 'starting' },
      ['run-checks', 'check-credentials'],
    ],
    [
      'checks that pass wait for the credential',
      [boot(), checked()],
      { phase: 'starting', checksPassed: true },
      ['run-checks', 'check-credentials'],
    ],
    [
      'a verdict that comes first waits for the checks',
      [boot(), credentials('ok')],
      { phase: 'starting', credentialCheck: 'ok' },
      ['run-checks', 'check-credentials'],
    ],
    [
      'problems found by the checks quarantine, whatever the credential says after them',
      [boot(), checked(['base dir not writable']), credentials('refused', 'add workspace:delete')],
      { phase: 'quarantined', lastError: 'base dir not writable' },
      ['run-checks', 'check-credentials', waiting, 'start-timer:quarantine'],
    ],
    [
      'problems found by the checks are what a broken workspace says, even after a refused credential',
      [boot(), credentials('refused', 'add workspace:delete'), checked(['base dir not writable'])],
      { phase: 'quarantined', lastError: 'base dir not writable' },
      ['run-checks', 'check-credentials', waiting, 'start-timer:quarantine'],
    ],
    [
      'a credential that passed before the checks ended starts the runner when they pass',
      [boot(), credentials('ok'), checked()],
      { phase: 'starting', credentialCheck: 'ok' },
      ['run-checks', 'check-credentials', 'spawn-program'],
    ],
    [
      'a credential that passes starts the runner',
      [boot(), checked(), credentials('ok')],
      { phase: 'starting', credentialCheck: 'ok' },
      ['run-checks', 'check-credentials', 'spawn-program'],
    ],
    [
      'a credential that cannot be checked (Coder unreachable) still serves: the eviction retries later',
      [boot(), checked(), credentials('unknown', 'Coder could not be asked (ECONNREFUSED)')],
      { phase: 'starting', credentialCheck: 'unknown: Coder could not be asked (ECONNREFUSED)' },
      ['run-checks', 'check-credentials', 'spawn-program'],
    ],
    [
      'a locked workspace self-evicts without a runner or any check',
      [boot({ lockRecordExists: true })],
      { phase: 'evicting', locked: true },
      [waiting, 'evict'],
    ],
    [
      'the previous status locked is locked',
      [boot({}, { locked: true })],
      { phase: 'evicting', locked: true },
      [waiting, 'evict'],
    ],
    [
      'evidence of an earlier session (isolation) is the lock: persisted, then self-eviction',
      [boot({ isolated: true, evidence: 'the base dir holds repo' })],
      { phase: 'evicting', locked: true, lockSource: 'used before this start: the base dir holds repo' },
      ['persist-lock', waiting, 'evict'],
    ],
    [
      'an accepted eviction is confirmed with Coder (a delete build can fail on the server)',
      [
        boot(
          {},
          { locked: true, eviction: { outcome: 'succeeded', attempts: 1, lastStatus: 201, message: '', at: '' } },
        ),
      ],
      { phase: 'evicting', locked: true },
      [waiting, 'evict'],
    ],
    [
      'a runner left by a killed supervisor is watched instead of starting another, locked or not',
      [boot({ orphanAlive: true }, { programPid: 4242, locked: true })],
      { phase: 'running', programAlive: true, locked: true },
      ['adopt-program'],
    ],
    [
      'under isolation such a runner was killed at start: nothing is adopted',
      [boot({ orphanAlive: true, isolated: true }, { programPid: 4242 })],
      { phase: 'starting' },
      ['run-checks', 'check-credentials'],
    ],
    [
      'a stop that comes while the supervisor boots starts no runner',
      [stop, boot()],
      { phase: 'stopped' },
      [waiting, 'exit'],
    ],
    [
      'a stop during the checks ends there',
      [boot(), stop, checked()],
      { phase: 'stopped' },
      ['run-checks', 'check-credentials', waiting, 'exit'],
    ],
    [
      'a stop while the credential is still being proven ends when it is',
      [boot(), checked(), stop, credentials('ok')],
      { phase: 'stopped' },
      ['run-checks', 'check-credentials', waiting, 'exit'],
    ],
  ])('%s', (_name, events, expected, effects) => {
    const result = play(events);
    expect(result.state).toMatchObject(expected);
    expect(words(result.effects)).toEqual(effects);
  });

  it('verifies an eviction that was under way before it posts again', () => {
    const pending = { outcome: 'pending' as const, attempts: 0, lastStatus: undefined, message: '', at: '' };
    const { effects } = play([boot({}, { eviction: pending })]);
    expect(effects).toContainEqual({ type: 'evict', verifyFirst: true });
    expect(play([boot({ lockRecordExists: true })]).effects).toContainEqual({ type: 'evict', verifyFirst: false });
  });

  it('keeps the first retirement time across restarts, so a restart cannot extend it', () => {
    const opts = { ...options, maxLifetimeMs: 60_000 };
    const first = play([boot()], initialPolicyState, opts);
    expect(first.state.retireAt).toBe(T + 60_000);
    expect(first.effects).toContainEqual({ type: 'start-timer', timer: 'lifetime', delayMs: 120_000 });
    const later = play(
      [at({ type: 'boot', facts: facts({}, { retireAtEpochSec: (T - 1000) / 1000 }) })],
      initialPolicyState,
      opts,
    );
    expect(later.state).toMatchObject({ phase: 'evicting', retireAt: T - 1000 });
    expect(later.state.reason).toMatch(/maximum lifetime reached before the runner started/);
  });

  it.each([
    ['after', [boot(), checked(), credentials('refused', 'add workspace:delete')]],
    ['before', [boot(), credentials('refused', 'add workspace:delete'), checked()]],
  ])(
    'a token that cannot delete (its verdict %s clean checks) quarantines without a timed eviction, and says what will happen',
    (_when, events) => {
      const { state, effects } = play(events);
      expect(state.phase).toBe('quarantined');
      expect(state.reason).toMatch(
        /^the self-evict token cannot delete this workspace, so it serves no one: add workspace:delete/,
      );
      expect(state.reason).not.toMatch(/self-evicting in/);
      expect(state.reason).toMatch(/cannot delete itself either, so it stays quarantined until the token is fixed/);
      expect(words(effects)).toEqual(['run-checks', 'check-credentials', waiting]);
    },
  );

  it('a supervisor that starts during an outage goes on counting from the last one', () => {
    const { state } = play([boot({}, { outageSince: new Date(5).toISOString(), outageTries: 3 })]);
    expect(state).toMatchObject({ phase: 'starting', unreachableInRow: 3, unreachableSince: 5 });
  });
});

describe('policy: a runner that runs and exits', () => {
  it('self-evicts after a clean exit', () => {
    const { state, effects } = play([exited(120_000, 0)], running);
    expect(state.phase).toBe('evicting');
    expect(words(effects)).toEqual([afterExit, waiting, 'evict']);
  });

  it('self-evicts a locked runner whatever its exit code', () => {
    const { state } = play([lock('wrapper'), exited(1000, 1)], running);
    expect(state).toMatchObject({ phase: 'evicting', locked: true, lockSource: 'wrapper' });
  });

  it('persists the lock once', () => {
    const { effects } = play([lock('a'), lock('b')], running);
    expect(effects).toEqual([{ type: 'persist-lock', source: 'a' }]);
  });

  it('traces of a session found after the exit lock the workspace (once), then it self-evicts', () => {
    const traced = play([exited(9000, 137, 'crash', undefined, { lockEvidence: 'the base dir holds x' })], running);
    expect(traced.state).toMatchObject({
      phase: 'evicting',
      locked: true,
      lockSource: 'session traces: the base dir holds x',
    });
    expect(words(traced.effects)).toEqual(['persist-lock', afterExit, waiting, 'evict']);
    const already = play([lock(), exited(9000, 137, 'crash', undefined, { lockEvidence: 'x' })], running);
    expect(words(already.effects)).toEqual(['persist-lock', afterExit, waiting, 'evict']);
    expect(already.state.lockSource).toBe('session wrapper');
  });

  it('restarts early crashes with doubling delays, then quarantines a crash loop without evicting', () => {
    let state: PolicyState = running;
    const delays: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const result = transition(state, exited(), options);
      expect(result.state.phase).toBe('backoff');
      const restart = result.effects.find((e) => e.type === 'start-timer' && e.timer === 'restart');
      delays.push(restart?.type === 'start-timer' ? restart.delayMs : -1);
      state = play([timer('restart'), spawned], result.state).state;
    }
    expect(delays).toEqual([5000, 10_000, 20_000, 40_000]);
    expect(state.restarts).toBe(4);
    const loop = transition(state, exited(), options);
    expect(loop.state.phase).toBe('quarantined');
    expect(loop.state.reason).toMatch(/crash loop: the runner failed 5 times in a row/);
    expect(words(loop.effects)).toEqual([afterExit, waiting, 'start-timer:quarantine']);
    expect(words(transition(loop.state, timer('quarantine'), options).effects)).toContain('evict');
  });

  it('resets the backoff after a run of a minute or more', () => {
    const first = play([exited(), timer('restart'), spawned, exited()], running);
    expect(first.state.shortRunsInRow).toBe(2);
    const after = play([timer('restart'), spawned, exited(60_000)], first.state);
    expect(after.state.shortRunsInRow).toBe(0);
    expect(after.effects).toContainEqual({ type: 'start-timer', timer: 'restart', delayMs: 5000, jitter: 'equal' });
  });

  it('with quarantine off (0) a crash loop stays quarantined, and never evicts', () => {
    const off = transition({ ...running, shortRunsInRow: 4 }, exited(), { ...options, quarantineMs: 0 });
    expect(off.state.phase).toBe('quarantined');
    expect(words(off.effects)).toEqual([afterExit, waiting]);
  });

  it('a spawn failure counts as a crash', () => {
    const { state } = play([exited(0, 1, 'crash', undefined, { spawnError: 'ENOENT' })], {
      ...initialPolicyState,
      phase: 'starting',
    });
    expect(state.phase).toBe('backoff');
    expect(state.lastError).toMatch(/could not be started: ENOENT/);
  });

  it('a spawn that completes during an eviction never overrides it: the runner is drained', () => {
    const evicting: PolicyState = { ...initialPolicyState, phase: 'evicting', reason: 'maximum lifetime reached' };
    const { state, effects } = transition(evicting, spawned, options);
    expect(state.phase).toBe('evicting');
    expect(words(effects)).toEqual(['drain-program']);
  });
});

describe('policy: stop, drain and lifetime', () => {
  it('a stop drains a live runner with one SIGTERM and its budget, and ends in stopped without eviction', () => {
    const { state, effects } = play([lock('w'), stop, exited(5000, 0)], running);
    expect(state.phase).toBe('stopped');
    expect(words(effects)).toEqual([
      'persist-lock',
      waiting,
      'drain-program',
      'start-timer:drain',
      afterExit,
      waiting,
      'exit',
    ]);
    expect(effects).toContainEqual({ type: 'start-timer', timer: 'drain', delayMs: options.stopBudgetMs });
  });

  it('a drain that outlasts its budget kills the group, which the exit then reports', () => {
    const draining = play([stop], running).state;
    expect(words(transition(draining, timer('drain'), options).effects)).toEqual(['kill-program']);
    const gone = play([exited(1000, 0)], draining).state;
    expect(words(transition(gone, timer('drain'), options).effects)).toEqual([]);
  });

  it('a stop during backoff ends at once, and the restart never comes', () => {
    const { state, effects } = play([exited(), stop], running);
    expect(state.phase).toBe('stopped');
    expect(words(effects)).toEqual([afterExit, 'start-timer:restart', waiting, 'exit']);
    expect(transition(state, timer('restart'), options).effects).toEqual([]);
  });

  it('a stop while the runner is being spawned drains it once it is up', () => {
    const starting: PolicyState = { ...initialPolicyState, phase: 'starting' };
    const { state, effects } = play([stop, spawned], starting);
    expect(state.phase).toBe('draining');
    expect(words(effects)).toEqual(['drain-program', 'start-timer:drain']);
  });

  it('a stop does not interrupt an eviction under way', () => {
    const evicting = play([boot({ lockRecordExists: true })]).state;
    const { state, effects } = play([stop], evicting);
    expect(state.phase).toBe('evicting');
    expect(effects).toEqual([]);
  });

  it('the maximum lifetime drains an idle runner, then self-evicts', () => {
    const { state, effects } = play([timer('lifetime'), exited(5000, 130)], running);
    expect(words(effects)).toEqual(['drain-program', 'start-timer:drain', afterExit, waiting, 'evict']);
    expect(state.phase).toBe('evicting');
  });

  it('the maximum lifetime leaves a locked runner to retire by itself', () => {
    const { effects } = play([lock('w'), timer('lifetime')], running);
    expect(words(effects)).toEqual(['persist-lock']);
  });
});

describe('policy: self-eviction', () => {
  const evicting = play([boot({ lockRecordExists: true })]).state;

  it('records each attempt while it retries, then the outcome', () => {
    const { state } = play(
      [
        at({ type: 'eviction-progress', attempt: 1, status: 503, why: '503 server error' }),
        at({ type: 'eviction-progress', attempt: 2, status: 201, why: undefined }),
      ],
      evicting,
    );
    expect(state.eviction).toMatchObject({ outcome: 'pending', attempts: 2, lastStatus: 201 });
    expect(state.eviction?.message).toMatch(/locked to a user before this start/);
    const done = transition(
      state,
      at({ type: 'eviction-finished', outcome: 'succeeded', attempts: 2, lastStatus: 201, message: 'queued' }),
      options,
    );
    expect(done.state).toMatchObject({ phase: 'evicted', eviction: { outcome: 'succeeded', attempts: 2 } });
    expect(done.effects).toEqual([{ type: 'exit', code: 0 }]);
  });

  it('a failed eviction is final and keeps its message as the last error', () => {
    const failed = transition(
      evicting,
      at({ type: 'eviction-finished', outcome: 'failed', attempts: 1, lastStatus: 403, message: '403 forbidden' }),
      options,
    );
    expect(failed.state).toMatchObject({ phase: 'eviction-failed', lastError: '403 forbidden' });
    expect(failed.effects).toEqual([{ type: 'exit', code: 1 }]);
  });
});

describe('policy: exits classified from the runner own words', () => {
  const outage = '[runner:fatal] RegisterRunner failed: connect ECONNREFUSED 127.0.0.1:443';

  it('an outage is retried with a capped backoff for as long as it lasts: never a crash loop', () => {
    const events = Array.from({ length: 20 }, () => [said('unreachable', outage), timer('restart'), spawned]).flat();
    const { state, effects } = play(events, running);
    expect(state.phase).toBe('running');
    expect(state.shortRunsInRow).toBe(0);
    expect(words(effects).filter((e) => e === 'start-timer:quarantine' || e === 'evict')).toEqual([]);
    const delays = effects.flatMap((e) => (e.type === 'start-timer' && e.timer === 'restart' ? [e.delayMs] : []));
    expect(delays.slice(0, 3)).toEqual([5000, 10_000, 20_000]);
    expect(Math.max(...delays)).toBe(300_000);
    const down = transition(running, said('unreachable', outage), options).state;
    expect(down).toMatchObject({ phase: 'unreachable', lastError: expect.stringContaining(outage) });
    expect(down.reason).toMatch(
      /^cannot reach Anthropic \(\[runner:fatal\] RegisterRunner failed: connect ECONNREFUSED/,
    );
  });

  it('keeps when the outage began and how many runs it cost, until a runner registers', () => {
    const first = play([at(said('unreachable', outage), 1_000_000)], running).state;
    expect(first).toMatchObject({ phase: 'unreachable', unreachableInRow: 1, unreachableSince: 1_000_000 });
    const second = play([timer('restart'), spawned, at(said('unreachable', outage), 2_000_000)], first).state;
    expect(second).toMatchObject({ unreachableInRow: 2, unreachableSince: 1_000_000 });
    const healed = play([timer('restart'), spawned, at({ type: 'program-registered' })], second).state;
    expect(healed).toMatchObject({ phase: 'running', unreachableInRow: 0, unreachableSince: undefined });
  });

  it('a refused secret is a crash loop with the secret named, then quarantine', () => {
    const refused =
      '[runner:fatal] RegisterRunner auth failed — the server did not accept this runner credential (HTTP 401).';
    const round = [said('secret-refused', refused, 1, 500), timer('restart'), spawned];
    const { state } = play([...round, ...round, ...round, ...round, said('secret-refused', refused, 1, 500)], running);
    expect(state.phase).toBe('quarantined');
    expect(state.reason).toMatch(/crash loop: .*the environment secret was refused: check pool_secret/);
    expect(state.lastError).toContain(refused);
  });

  it('self-hosted environments not enabled: quarantine at once, with that reason', () => {
    const line =
      '[runner:fatal] RegisterRunner refused because self-hosted environments are not enabled for this organization.';
    const { state, effects } = transition(running, said('not-enabled', line), options);
    expect(state.phase).toBe('quarantined');
    expect(state.reason).toMatch(/not enabled for this organization/);
    expect(state.lastError).toContain(line);
    expect(effects).toContainEqual({ type: 'start-timer', timer: 'quarantine', delayMs: options.quarantineMs });
  });

  it('an expired poll token is an ordinary restart, or self-eviction when locked', () => {
    const line = '[runner:fatal] poll auth failed — token expired or revoked. Draining and exiting for clean restart.';
    const restart = transition({ ...running, shortRunsInRow: 2 }, said('token-expired', line, 0, 3_600_000), options);
    expect(restart.state).toMatchObject({ phase: 'backoff', shortRunsInRow: 0 });
    expect(restart.effects).toContainEqual({ type: 'start-timer', timer: 'restart', delayMs: 5000, jitter: 'equal' });
    expect(transition({ ...running, locked: true }, said('token-expired', line, 0), options).state.phase).toBe(
      'evicting',
    );
  });

  it('a configuration error (exit 2) is quarantined at once with the runner line', () => {
    const line = 'error: cannot create or write to base directory /x (ENOTDIR); pass --base-dir <writable path>';
    const { state } = transition(running, said('config-error', line, 2, 50), options);
    expect(state.phase).toBe('quarantined');
    expect(state.reason).toContain(line);
  });
});

describe('policy: a runner that no longer works, and its cap', () => {
  const unresponsive = at({ type: 'program-unresponsive', reason: 'the runner process 42 is stopped (state T)' });
  const capped = { ...options, maxLockedMs: 86_400_000 };
  const cap = {
    retireAtEpochSec: (T + 86_400_000) / 1000,
    capAtMs: T + 86_400_000,
    killAtMs: T + 87_300_000,
    capText: 'max_locked_minutes = 1440',
  };
  it.each<[string, PolicyState, PolicyEvent[], Partial<PolicyState>, string[]]>([
    [
      'a stopped runner is killed; locked, the workspace then self-evicts',
      { ...running, locked: true },
      [unresponsive, exited(9000, 137)],
      {
        phase: 'evicting',
        killReason: undefined,
        lastError: 'the program stopped working (the runner process 42 is stopped (state T))',
      },
      ['kill-program', afterExit, waiting, 'evict'],
    ],
    [
      'a stopped runner is killed; unlocked, a fresh one starts after the backoff',
      running,
      [unresponsive, exited(9000, 137)],
      { phase: 'backoff', shortRunsInRow: 1, locked: false },
      ['kill-program', afterExit, 'start-timer:restart'],
    ],
    [
      'it is killed once, however often it is seen',
      running,
      [unresponsive, unresponsive],
      { phase: 'running' },
      ['kill-program'],
    ],
    [
      'a draining runner that stops working is killed too (the stop does not wait for its drain timeout)',
      { ...running, phase: 'draining', stopRequested: true },
      [unresponsive, exited(2000, 137)],
      { phase: 'stopped' },
      ['kill-program', afterExit, waiting, 'exit'],
    ],
    [
      'nothing to kill during an eviction',
      { ...running, phase: 'evicting' },
      [unresponsive],
      { phase: 'evicting' },
      [],
    ],
    [
      'nothing to kill without a live runner',
      { ...running, programAlive: false, phase: 'backoff' },
      [unresponsive],
      { phase: 'backoff' },
      [],
    ],
    [
      'a locked runner that outlives its cap and grace is killed, then the workspace self-evicts',
      { ...running, locked: true, cap },
      [timer('cap'), exited(60_000, 137)],
      { phase: 'evicting' },
      ['kill-program', afterExit, waiting, 'evict'],
    ],
  ])('%s', (_name, from, events, expected, effects) => {
    const result = play(events, from, capped);
    expect(result.state).toMatchObject(expected);
    expect(words(result.effects)).toEqual(effects);
  });

  it('every start gets --retire-at of its cap and a kill timer at the cap plus its grace', () => {
    const { effects } = play([boot(), checked(), credentials()], initialPolicyState, capped);
    expect(effects).toContainEqual({ type: 'spawn-program', retireAtEpochSec: (T + 86_400_000) / 1000 });
    const up = play([boot(), checked(), credentials(), spawned], initialPolicyState, capped).effects;
    expect(up).toContainEqual({ type: 'start-timer', timer: 'cap', delayMs: 86_400_000 + 900_000 });
  });

  it('an idle runner that retired at its cap is replaced, not evicted; a locked one self-evicts', () => {
    const idle = play([at(exited(86_400_000, 0), T + 86_400_000)], { ...running, cap }, capped);
    expect(idle.state).toMatchObject({ phase: 'backoff', shortRunsInRow: 0 });
    expect(words(idle.effects)).toEqual([afterExit, 'start-timer:restart']);
    const locked = play([at(exited(86_400_000, 0), T + 86_400_000)], { ...running, cap, locked: true }, capped);
    expect(locked.state.phase).toBe('evicting');
  });
});

describe('policy: on-demand (a runner workspace per session)', () => {
  const onDemand: PolicyOptions = { ...options, profile: onDemandRunnerProfile, orderWaitMs: 600_000 };
  const ready = play([boot(), checked(), credentials()], initialPolicyState, onDemand);

  it('without a work order (a prebuild), it checks everything, then waits, with a bound', () => {
    expect(ready.state).toMatchObject({ phase: 'waiting-for-order' });
    expect(ready.effects).toContainEqual({ type: 'start-timer', timer: 'order-wait', delayMs: 600_000 });
    expect(words(ready.effects)).not.toContain('spawn-program');
  });

  it('a start that brings a work order (the claim) starts the runner at once, and the workspace is spent from then on', () => {
    const { state, effects } = play([boot({ hasOrder: true }), checked(), credentials()], initialPolicyState, onDemand);
    expect(state).toMatchObject({
      phase: 'starting',
      orderUsed: true,
      reason: 'starting the runner with its work order',
    });
    expect(words(effects)).toEqual(['run-checks', 'check-credentials', 'spawn-program']);
  });

  it('an order that never comes ends an orphaned workspace', () => {
    const { state, effects } = play([timer('order-wait')], ready.state, onDemand);
    expect(state.phase).toBe('evicting');
    expect(state.reason).toMatch(/no work order came within 10 min/);
    expect(words(effects)).toContain('evict');
  });

  it('a refused work order is never restarted nor quarantined: the workspace self-evicts at once', () => {
    const line = '[runner:fatal] RegisterRunner refused because this work order was already used to register a runner.';
    const { state } = play([said('work-order-refused', line, 1, 800)], { ...running, orderUsed: true }, onDemand);
    expect(state.phase).toBe('evicting');
    expect(state.reason).toMatch(/^the work order was refused \(\[runner:fatal\] RegisterRunner refused because/);
    expect(state.reason).toMatch(/a fresh order comes only with a new spawn request/);
  });

  it('any other exit also ends the workspace: nothing restarts an on-demand runner', () => {
    expect(play([exited(3000, 1)], { ...running, orderUsed: true }, onDemand).state.phase).toBe('evicting');
    expect(play([said('unreachable', 'x')], { ...running, orderUsed: true }, onDemand).state.phase).toBe('evicting');
  });

  it('a restart after its order was used self-evicts without a runner', () => {
    const { state } = play([boot({}, { orderUsed: true })], initialPolicyState, onDemand);
    expect(state.phase).toBe('evicting');
    expect(state.reason).toMatch(/already had its work order/);
  });

  it('a prebuild waits without a bound when the order wait is 0', () => {
    const forever = play([boot(), checked(), credentials()], initialPolicyState, { ...onDemand, orderWaitMs: 0 });
    expect(forever.state.phase).toBe('waiting-for-order');
    expect(words(forever.effects)).not.toContain('start-timer:order-wait');
  });
});

describe('policy: the orchestrator (a long-lived host)', () => {
  const orchestrator: PolicyOptions = { ...options, profile: orchestratorProfile, quarantineMs: 600_000 };

  it('restarts after a clean exit and never self-evicts', () => {
    const { state, effects } = play([exited(3_600_000, 0)], running, orchestrator);
    expect(state.phase).toBe('backoff');
    expect(words(effects)).not.toContain('evict');
  });

  it('a refused secret is a crash loop, and after the quarantine it tries again instead of deleting itself', () => {
    const refused = '[runner:fatal] PollSpawnHints rejected (HTTP 401)';
    const round = [said('secret-refused', refused, 1, 500), timer('restart'), spawned];
    const loop = play(
      [...round, ...round, ...round, ...round, said('secret-refused', refused, 1, 500)],
      running,
      orchestrator,
    );
    expect(loop.state.phase).toBe('quarantined');
    expect(loop.state.reason).toMatch(/restarting the orchestrator in 10 min unless fixed/);
    const again = transition(loop.state, timer('quarantine'), orchestrator);
    expect(words(again.effects)).toEqual(['spawn-program']);
    expect(again.state.shortRunsInRow).toBe(0);
  });

  it('an outage is retried for as long as it lasts, never quarantined', () => {
    const { state } = play([said('unreachable', 'connect ECONNREFUSED')], running, orchestrator);
    expect(state.phase).toBe('unreachable');
  });

  it('never locks', () => {
    expect(play([lock()], running, orchestrator).state.locked).toBe(false);
  });

  it('a refused Coder token quarantines with what really happens', () => {
    const { state } = play(
      [boot(), checked(), credentials('refused', '403: may not create')],
      initialPolicyState,
      orchestrator,
    );
    expect(state.phase).toBe('quarantined');
    expect(state.reason).toMatch(/^the Coder token cannot create runner workspaces/);
  });
});
