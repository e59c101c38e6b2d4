import type { RunnerExitKind } from '../../../../supervisor/src/roles/runner/classify-exit.js';
import { describe, expect, it } from 'vitest';
import {
  initialPolicyState,
  transition,
  type PolicyEvent,
  type PolicyOptions,
  type PolicyState,
} from '../../../../supervisor/src/lifecycle/policy.js';

const options: PolicyOptions = {
  initialDelayMs: 5000,
  maxDelayMs: 300_000,
  shortRunMs: 60_000,
  crashLoopThreshold: 5,
  quarantineMs: 3_600_000,
};

const boot: Extract<PolicyEvent, { type: 'boot' }> = {
  type: 'boot',
  locked: false,
  alreadyEvicted: false,
  preflightProblems: [],
  lifetimeOver: false,
  adoptedRunner: false,
};
const crash = (runtimeMs = 1000, exitCode = 1): PolicyEvent => ({
  type: 'runner-exited',
  exitCode,
  signal: undefined,
  runtimeMs,
  spawnError: undefined,
  kind: exitCode === 0 ? 'clean' : 'crash',
  line: undefined,
});
/** An exit that the runner explained in its own words. */
const said = (kind: RunnerExitKind, line: string, exitCode = 1, runtimeMs = 15_000): PolicyEvent => ({
  type: 'runner-exited',
  exitCode,
  signal: undefined,
  runtimeMs,
  spawnError: undefined,
  kind,
  line,
});
const running: PolicyState = { ...initialPolicyState, phase: 'running', runnerAlive: true };

function play(events: PolicyEvent[], from: PolicyState = initialPolicyState) {
  let state = from;
  const effects = [];
  for (const event of events) {
    const result = transition(state, event, options);
    state = result.state;
    effects.push(...result.effects);
  }
  return { state, effects };
}

describe('policy', () => {
  it.each<[string, PolicyEvent, Partial<PolicyState>, string[]]>([
    ['a fresh boot starts the runner', boot, { phase: 'starting' }, ['spawn-runner']],
    [
      'a locked boot self-evicts without a runner',
      { ...boot, locked: true },
      { phase: 'evicting', locked: true },
      ['cancel-timers', 'evict'],
    ],
    [
      'an accepted eviction is confirmed with Coder (a delete build can fail on the server)',
      { ...boot, locked: true, alreadyEvicted: true },
      { phase: 'evicting', locked: true },
      ['cancel-timers', 'evict'],
    ],
    [
      'preflight problems quarantine',
      { ...boot, preflightProblems: ['base dir not writable'] },
      { phase: 'quarantined', lastError: 'base dir not writable' },
      ['cancel-timers', 'schedule-quarantine'],
    ],
    [
      'an expired lifetime self-evicts',
      { ...boot, lifetimeOver: true },
      { phase: 'evicting' },
      ['cancel-timers', 'evict'],
    ],
  ])('%s', (_name, event, expected, effects) => {
    const result = transition(initialPolicyState, event, options);
    expect(result.state).toMatchObject(expected);
    expect(result.effects.map((e) => e.type)).toEqual(effects);
  });

  it('watches a runner left alive by a killed supervisor instead of starting another, even when locked', () => {
    const adopted = transition(initialPolicyState, { ...boot, locked: true, adoptedRunner: true }, options);
    expect(adopted.state).toMatchObject({ phase: 'running', runnerAlive: true, locked: true });
    expect(adopted.effects).toEqual([]);
    expect(transition(adopted.state, crash(5000, 0), options).state.phase).toBe('evicting');
  });

  it('self-evicts after a clean exit', () => {
    const { state, effects } = play([crash(120_000, 0)], running);
    expect(state.phase).toBe('evicting');
    expect(effects.map((e) => e.type)).toContain('evict');
  });

  it('self-evicts a locked runner whatever its exit code', () => {
    const { state } = play([{ type: 'lock-observed', source: 'wrapper' }, crash(1000, 1)], running);
    expect(state.phase).toBe('evicting');
    expect(state.locked).toBe(true);
  });

  it('persists the lock once', () => {
    const { effects } = play(
      [
        { type: 'lock-observed', source: 'a' },
        { type: 'lock-observed', source: 'b' },
      ],
      running,
    );
    expect(effects).toEqual([{ type: 'persist-lock', source: 'a' }]);
  });

  it('restarts early crashes with doubling delays, then quarantines a crash loop without evicting', () => {
    let state: PolicyState = running;
    const delays: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const exited = transition(state, crash(), options);
      expect(exited.state.phase).toBe('backoff');
      const restart = exited.effects.find((e) => e.type === 'schedule-restart');
      delays.push(restart && 'delayMs' in restart ? restart.delayMs : -1);
      state = play([{ type: 'backoff-elapsed' }, { type: 'runner-spawned' }], exited.state).state;
    }
    expect(delays).toEqual([5000, 10_000, 20_000, 40_000]);
    expect(state.restarts).toBe(4);
    const loop = transition(state, crash(), options);
    expect(loop.state.phase).toBe('quarantined');
    expect(loop.state.reason).toMatch(/crash loop: the runner failed 5 times in a row/);
    expect(loop.effects.map((e) => e.type)).toEqual(['cancel-timers', 'schedule-quarantine']);
    expect(loop.effects.some((e) => e.type === 'evict')).toBe(false);
    expect(transition(loop.state, { type: 'quarantine-elapsed' }, options).effects.map((e) => e.type)).toContain(
      'evict',
    );
  });

  it('resets the backoff after a run of a minute or more', () => {
    const first = play([crash(), { type: 'backoff-elapsed' }, { type: 'runner-spawned' }, crash()], running);
    expect(first.state.shortRunsInRow).toBe(2);
    const long = transition(first.state, { type: 'backoff-elapsed' }, options);
    const after = play([{ type: 'runner-spawned' }, crash(60_000)], long.state);
    expect(after.state.shortRunsInRow).toBe(0);
    expect(after.effects).toContainEqual({ type: 'schedule-restart', delayMs: 5000 });
  });

  it('never quarantines forever-runs when quarantine is off, and never evicts then', () => {
    let state: PolicyState = running;
    for (let i = 0; i < 5; i += 1)
      state = play([crash(), { type: 'backoff-elapsed' }, { type: 'runner-spawned' }], state).state;
    const off = transition({ ...state, shortRunsInRow: 4 }, crash(), { ...options, quarantineMs: 0 });
    expect(off.state.phase).toBe('quarantined');
    expect(off.effects.map((e) => e.type)).toEqual(['cancel-timers']);
  });

  it('a stop drains a live runner and ends in stopped without eviction', () => {
    const { state, effects } = play(
      [{ type: 'lock-observed', source: 'w' }, { type: 'stop-requested' }, crash(5000, 0)],
      running,
    );
    expect(state.phase).toBe('stopped');
    expect(effects.map((e) => e.type)).toEqual(['persist-lock', 'cancel-timers', 'drain-runner', 'exit']);
  });

  it('a stop during backoff ends at once', () => {
    const { state, effects } = play([crash(), { type: 'stop-requested' }], running);
    expect(state.phase).toBe('stopped');
    expect(effects.map((e) => e.type)).toEqual(['schedule-restart', 'cancel-timers', 'exit']);
    expect(transition(state, { type: 'backoff-elapsed' }, options).effects).toEqual([]);
  });

  it('a stop while the runner is being spawned drains it once it is up', () => {
    const starting = transition(initialPolicyState, boot, options).state;
    const { state, effects } = play([{ type: 'stop-requested' }, { type: 'runner-spawned' }], starting);
    expect(state.phase).toBe('draining');
    expect(effects.map((e) => e.type)).toEqual(['drain-runner']);
  });

  it('a stop does not interrupt an eviction under way', () => {
    const evicting = transition(initialPolicyState, { ...boot, locked: true }, options).state;
    const { state, effects } = play([{ type: 'stop-requested' }], evicting);
    expect(state.phase).toBe('evicting');
    expect(effects).toEqual([]);
    expect(transition(state, { type: 'eviction-finished', succeeded: true, message: 'ok' }, options).state.phase).toBe(
      'evicted',
    );
  });

  it('the maximum lifetime drains an idle runner, then self-evicts', () => {
    const { state, effects } = play([{ type: 'lifetime-elapsed' }, crash(5000, 130)], running);
    expect(effects.map((e) => e.type)).toEqual(['drain-runner', 'cancel-timers', 'evict']);
    expect(state.phase).toBe('evicting');
  });

  it('the maximum lifetime leaves a locked runner to retire by itself', () => {
    const { effects } = play([{ type: 'lock-observed', source: 'w' }, { type: 'lifetime-elapsed' }], running);
    expect(effects.map((e) => e.type)).toEqual(['persist-lock']);
  });

  it('a failed eviction is final and keeps its message as the last error', () => {
    const evicting = transition(initialPolicyState, { ...boot, locked: true }, options).state;
    const failed = transition(
      evicting,
      { type: 'eviction-finished', succeeded: false, message: '403 forbidden' },
      options,
    );
    expect(failed.state).toMatchObject({ phase: 'eviction-failed', lastError: '403 forbidden' });
    expect(failed.effects).toEqual([{ type: 'exit', code: 1 }]);
  });

  it('a spawn failure counts as a crash', () => {
    const starting = transition(initialPolicyState, boot, options).state;
    const { state } = play(
      [
        {
          type: 'runner-exited',
          exitCode: undefined,
          signal: undefined,
          runtimeMs: 0,
          spawnError: 'ENOENT',
          kind: 'crash',
          line: undefined,
        },
      ],
      starting,
    );
    expect(state.phase).toBe('backoff');
    expect(state.lastError).toMatch(/could not be started: ENOENT/);
  });

  describe('exits classified from the runner own words', () => {
    const outage = '[runner:fatal] RegisterRunner failed: connect ECONNREFUSED 127.0.0.1:443';

    it('an outage is retried with a capped backoff for as long as it lasts: never a crash loop', () => {
      const events = Array.from({ length: 20 }, () => [
        said('unreachable', outage),
        { type: 'backoff-elapsed' as const },
        { type: 'runner-spawned' as const },
      ]).flat();
      const { state, effects } = play(events, running);
      expect(state.phase).toBe('running');
      expect(state.shortRunsInRow).toBe(0);
      expect(effects.filter((e) => e.type === 'schedule-quarantine' || e.type === 'evict')).toEqual([]);
      const delays = effects.flatMap((e) => (e.type === 'schedule-restart' ? [e.delayMs] : []));
      expect(delays.slice(0, 3)).toEqual([5000, 10_000, 20_000]);
      expect(Math.max(...delays)).toBe(300_000);
      const down = transition(running, said('unreachable', outage), options).state;
      expect(down).toMatchObject({ phase: 'unreachable', lastError: expect.stringContaining(outage) });
      expect(down.reason).toMatch(
        /^cannot reach Anthropic \(\[runner:fatal\] RegisterRunner failed: connect ECONNREFUSED/,
      );
    });

    it('a refused secret is a crash loop with the secret named, then quarantine', () => {
      const refused =
        '[runner:fatal] RegisterRunner auth failed — the server did not accept this runner credential (HTTP 401).';
      const events = [
        said('secret-refused', refused, 1, 500),
        { type: 'backoff-elapsed' as const },
        { type: 'runner-spawned' as const },
      ];
      const { state } = play(
        [...events, ...events, ...events, ...events, said('secret-refused', refused, 1, 500)],
        running,
      );
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
      expect(effects).toContainEqual({ type: 'schedule-quarantine', delayMs: options.quarantineMs });
    });

    it('an expired poll token is an ordinary restart, or self-eviction when locked', () => {
      const line =
        '[runner:fatal] poll auth failed — token expired or revoked. Draining and exiting for clean restart.';
      const restart = transition({ ...running, shortRunsInRow: 2 }, said('token-expired', line, 0, 3_600_000), options);
      expect(restart.state).toMatchObject({ phase: 'backoff', shortRunsInRow: 0 });
      expect(restart.effects).toEqual([{ type: 'schedule-restart', delayMs: options.initialDelayMs }]);
      const locked = transition({ ...running, locked: true }, said('token-expired', line, 0), options);
      expect(locked.state.phase).toBe('evicting');
    });

    it('a configuration error (exit 2) is quarantined at once with the runner line', () => {
      const line = 'error: cannot create or write to base directory /x (ENOTDIR); pass --base-dir <writable path>';
      const { state } = transition(running, said('config-error', line, 2, 50), options);
      expect(state.phase).toBe('quarantined');
      expect(state.reason).toContain(line);
    });
  });

  it('a spawn that completes during an eviction never overrides it: the runner is drained', () => {
    const evicting: PolicyState = { ...initialPolicyState, phase: 'evicting', reason: 'maximum lifetime reached' };
    const { state, effects } = transition(evicting, { type: 'runner-spawned' }, options);
    expect(state.phase).toBe('evicting');
    expect(effects).toEqual([{ type: 'drain-runner' }]);
  });

  describe('a runner that no longer works, and its cap', () => {
    const unresponsive: PolicyEvent = {
      type: 'runner-unresponsive',
      reason: 'the runner process 42 is stopped (state T)',
    };
    const capElapsed: PolicyEvent = { type: 'locked-cap-elapsed', capText: 'max_locked_minutes = 1440' };
    it.each<[string, PolicyState, PolicyEvent[], Partial<PolicyState>, string[]]>([
      [
        'a stopped runner is killed; locked, the workspace then self-evicts',
        { ...running, locked: true },
        [unresponsive, crash(9000, 137)],
        {
          phase: 'evicting',
          killReason: undefined,
          lastError: 'the runner stopped working (the runner process 42 is stopped (state T))',
        },
        ['kill-runner', 'cancel-timers', 'evict'],
      ],
      [
        'a stopped runner is killed; unlocked, a fresh one starts after the backoff',
        running,
        [unresponsive, crash(9000, 137)],
        { phase: 'backoff', shortRunsInRow: 1, locked: false },
        ['kill-runner', 'schedule-restart'],
      ],
      [
        'it is killed once, however often it is seen',
        running,
        [unresponsive, unresponsive],
        { phase: 'running' },
        ['kill-runner'],
      ],
      [
        'a draining runner that stops working is killed too (the stop does not wait for its drain timeout)',
        { ...running, phase: 'draining', stopRequested: true },
        [unresponsive, crash(2000, 137)],
        { phase: 'stopped' },
        ['kill-runner', 'exit'],
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
        { ...running, runnerAlive: false, phase: 'backoff' },
        [unresponsive],
        { phase: 'backoff' },
        [],
      ],
      [
        'a locked runner that outlives its cap and grace is killed, then the workspace self-evicts',
        { ...running, locked: true },
        [capElapsed, crash(60_000, 137)],
        { phase: 'evicting' },
        ['kill-runner', 'cancel-timers', 'evict'],
      ],
      [
        'an idle runner that retired at its cap is replaced, not evicted',
        running,
        [{ ...(crash(86_400_000, 0) as Extract<PolicyEvent, { type: 'runner-exited' }>), retiredAtCap: true }],
        { phase: 'backoff', shortRunsInRow: 0 },
        ['schedule-restart'],
      ],
      [
        'a locked runner that retired at its cap self-evicts',
        { ...running, locked: true },
        [{ ...(crash(86_400_000, 0) as Extract<PolicyEvent, { type: 'runner-exited' }>), retiredAtCap: true }],
        { phase: 'evicting' },
        ['cancel-timers', 'evict'],
      ],
    ])('%s', (_name, from, events, expected, effects) => {
      const result = play(events, from);
      expect(result.state).toMatchObject(expected);
      expect(result.effects.map((e) => e.type)).toEqual(effects);
    });
  });

  describe('an outage of Anthropic across runner restarts', () => {
    const unreachable = (at: number): PolicyEvent => ({
      ...(said('unreachable', '[runner:fatal] RegisterRunner failed: connect ECONNREFUSED') as Extract<
        PolicyEvent,
        { type: 'runner-exited' }
      >),
      at,
    });
    it('keeps when it began and how many runs it cost, until a runner registers', () => {
      const first = play([unreachable(1_000_000)], running).state;
      expect(first).toMatchObject({ phase: 'unreachable', unreachableInRow: 1, unreachableSince: 1_000_000 });
      const second = play(
        [{ type: 'backoff-elapsed' }, { type: 'runner-spawned' }, unreachable(2_000_000)],
        first,
      ).state;
      expect(second).toMatchObject({ unreachableInRow: 2, unreachableSince: 1_000_000 });
      const healed = play(
        [{ type: 'backoff-elapsed' }, { type: 'runner-spawned' }, { type: 'runner-registered' }],
        second,
      ).state;
      expect(healed).toMatchObject({ phase: 'running', unreachableInRow: 0, unreachableSince: undefined });
    });
    it('a supervisor that starts during an outage goes on counting from the last one', () => {
      const { state } = transition(initialPolicyState, { ...boot, outage: { since: 5, tries: 3 } }, options);
      expect(state).toMatchObject({ phase: 'starting', unreachableInRow: 3, unreachableSince: 5 });
    });
  });

  it('a token that cannot delete quarantines without a timed eviction, and says what will happen', () => {
    const { state, effects } = transition(
      initialPolicyState,
      { ...boot, tokenProblem: 'add workspace:delete' },
      options,
    );
    expect(state.phase).toBe('quarantined');
    expect(state.reason).not.toMatch(/self-evicting in/);
    expect(state.reason).toMatch(/cannot delete itself either, so it stays quarantined until the token is fixed/);
    expect(effects.map((e) => e.type)).toEqual(['cancel-timers']);
  });

  it('a stop that comes while the supervisor boots starts no runner: it ends in stopped', () => {
    const stopping = transition(initialPolicyState, { type: 'stop-requested' }, options).state;
    const { state, effects } = transition(stopping, boot, options);
    expect(state.phase).toBe('stopped');
    expect(effects.map((e) => e.type)).toEqual(['cancel-timers', 'exit']);
  });
});
