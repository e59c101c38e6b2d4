import { planBoot } from './boot.js';
import { onProgramExited } from './on-exit.js';
import {
  isFinal,
  type EventOf,
  type PolicyEvent,
  type PolicyOptions,
  type PolicyState,
  type Transition,
} from './policy-types.js';
import { evict, quarantine, spawn, stay, stopped } from './transitions.js';

export * from './policy-types.js';

/**
 * The lifecycle policy as a pure state machine: (state, event) -> (state, effects). Every
 * decision of the supervisor is here; the executor (executor/executor.ts) only performs the
 * effects and reports what happened as events. tests/supervisor/unit/lifecycle/policy.test.ts is
 * its table.
 */

function onBoot(state: PolicyState, event: EventOf<'boot'>, options: PolicyOptions): Transition {
  const plan = planBoot(event.facts, event.at, options.maxLifetimeMs);
  const booted: PolicyState = {
    ...state,
    locked: plan.locked,
    lockSource: plan.lockSource,
    eviction: plan.eviction,
    retireAt: plan.retireAt,
    orderUsed: plan.orderSpent,
    hasOrder: event.facts.hasOrder,
    unreachableInRow: plan.outage?.tries ?? 0,
    unreachableSince: plan.outage?.since,
  };
  const effects: Transition['effects'] = [];
  // The evidence found at start is the lock from now on: persisted in the state dir, which only
  // the supervisor can write.
  if (plan.persistEvidence) effects.push({ type: 'persist-lock', source: plan.lockSource ?? 'evidence at start' });
  if (plan.retireAt !== undefined && !plan.locked) {
    const delayMs = Math.max(0, plan.retireAt - event.at) + options.lifetimeGraceMs;
    effects.push({ type: 'start-timer', timer: 'lifetime', delayMs });
  }
  const next = (t: Transition): Transition => ({ ...t, effects: [...effects, ...t.effects] });

  if (plan.evictionStarted) {
    // Accepted is not done: a delete build can fail on the server, and the workspace start again.
    // Confirm with Coder (only a pending, running or succeeded delete counts), and post a new
    // delete if it did not go through.
    return next(
      evict(
        booted,
        'an earlier self-eviction was accepted or under way; confirming with Coder that the delete went through',
        options,
        event.at,
      ),
    );
  }
  if (plan.adoptOrphan) {
    const previous = event.facts.previous;
    return next({
      state: {
        ...booted,
        phase: 'running',
        programAlive: true,
        reason: `watching the ${options.profile.program} left by an earlier supervisor`,
      },
      effects: [{ type: 'adopt-program', pid: previous?.programPid as number, startTime: previous?.programStartTime }],
    });
  }
  if (plan.locked) {
    return next(
      evict(
        booted,
        `the workspace was locked to a user before this start; a locked workspace never starts another ${options.profile.program}`,
        options,
        event.at,
      ),
    );
  }
  if (plan.orderSpent) {
    return next(
      evict(
        booted,
        'this workspace already had its work order; an on-demand workspace serves one, and a fresh order comes only with a new workspace',
        options,
        event.at,
      ),
    );
  }
  if (plan.lifetimeOver)
    return next(
      evict(booted, `maximum lifetime reached before the ${options.profile.program} started`, options, event.at),
    );
  if (state.stopRequested)
    return next(stopped(booted, `stopped on request before the ${options.profile.program} started`));
  return next({
    state: { ...booted, phase: 'starting', reason: 'checking the workspace before the first start' },
    // At once: the user of an on-demand workspace waits for both. What they find is still read
    // in order: problems of the workspace first, the credential's verdict only after clean checks.
    effects: [{ type: 'run-checks' }, { type: 'check-credentials' }],
  });
}

/**
 * After the checks and the credential check: start the program, or wait for a work order. A
 * waiting workspace gets its order from a new start, which replaces this supervisor
 * (commands/replace-waiting.ts): the order comes with the claim's start build.
 */
function startOrWait(state: PolicyState, options: PolicyOptions, at: number): Transition {
  if (!options.profile.awaitsOrder) return spawn(state, `starting the ${options.profile.program}`, options, at);
  if (!state.hasOrder) {
    const wait =
      options.orderWaitMs > 0
        ? [{ type: 'start-timer' as const, timer: 'order-wait' as const, delayMs: options.orderWaitMs }]
        : [];
    return {
      state: {
        ...state,
        phase: 'waiting-for-order',
        reason: 'no work order yet (a prebuild waits to be claimed by a session)',
      },
      effects: wait,
    };
  }
  // Spent from now on: a restart of this workspace never starts a second runner with it.
  return spawn({ ...state, orderUsed: true }, 'starting the runner with its work order', options, at);
}

export function transition(state: PolicyState, event: PolicyEvent, options: PolicyOptions): Transition {
  const { profile } = options;
  switch (event.type) {
    case 'boot':
      return onBoot(state, event, options);
    case 'checks-done': {
      if (state.phase !== 'starting') return stay(state);
      if (state.stopRequested) return stopped(state, `stopped on request before the ${profile.program} started`);
      if (event.problems.length > 0) return quarantine(state, event.problems.join('; '), options);
      const passed: PolicyState = { ...state, checksPassed: true };
      // The credential is judged only on a workspace that passed its checks: a broken image says so first.
      return state.credentialVerdict ? afterCredential(passed, options, event.at) : stay(passed);
    }
    case 'credentials-checked': {
      if (state.phase !== 'starting') return stay(state);
      const checked: PolicyState = {
        ...state,
        credentialCheck: event.verdict === 'ok' ? 'ok' : `${event.verdict}: ${event.problem ?? ''}`,
        credentialVerdict: { verdict: event.verdict, problem: event.problem },
      };
      return checked.checksPassed ? afterCredential(checked, options, event.at) : stay(checked);
    }
    case 'program-spawned': {
      const cap = state.cap
        ? [{ type: 'start-timer' as const, timer: 'cap' as const, delayMs: Math.max(0, state.cap.killAtMs - event.at) }]
        : [];
      // A spawn that completes while the workspace is being evicted (the lifetime ended during the
      // spawn) never overrides the eviction: the program is drained and the phase stays.
      if (state.phase === 'evicting' || isFinal(state.phase)) {
        return { state: { ...state, programAlive: true }, effects: [{ type: 'drain-program' }] };
      }
      const running: PolicyState = {
        ...state,
        programAlive: true,
        phase: 'running',
        reason: `${profile.program} is up, waiting for ${profile.singleUse ? 'a session' : 'spawn requests'}`,
      };
      if (state.stopRequested) {
        return {
          state: { ...running, phase: 'draining', reason: 'stop requested' },
          effects: [
            ...cap,
            { type: 'drain-program' },
            { type: 'start-timer', timer: 'drain', delayMs: options.stopBudgetMs },
          ],
        };
      }
      return { state: running, effects: cap };
    }
    case 'program-exited':
      return onProgramExited(state, event, options);
    case 'program-unresponsive':
      return killProgram(state, `stopped working (${event.reason})`);
    case 'program-registered':
      if (state.unreachableInRow === 0 && state.unreachableSince === undefined) return stay(state);
      return stay({ ...state, unreachableInRow: 0, unreachableSince: undefined });
    case 'lock-observed': {
      if (state.locked || !profile.singleUse) return stay(state);
      const reason = state.phase === 'running' ? 'serving a session; locked to its user' : state.reason;
      return {
        state: { ...state, locked: true, lockSource: state.lockSource ?? event.source, reason },
        effects: [{ type: 'persist-lock', source: event.source }],
      };
    }
    case 'timer-elapsed':
      return onTimer(state, event, options);
    case 'stop-requested': {
      if (state.stopRequested) return stay(state);
      const stopping: PolicyState = { ...state, stopRequested: true };
      if (state.phase === 'evicting' || isFinal(state.phase)) return stay(stopping);
      if (state.programAlive) {
        return {
          state: { ...stopping, phase: 'draining', reason: `stop requested; draining the ${profile.program}` },
          effects: [
            { type: 'cancel-timers', timers: ['restart', 'quarantine', 'order-wait'] },
            { type: 'drain-program' },
            { type: 'start-timer', timer: 'drain', delayMs: options.stopBudgetMs },
          ],
        };
      }
      // The checks or the spawn are under way: their end sees the stop.
      if (state.phase === 'starting') return stay(stopping);
      return stopped(stopping, 'stopped on request');
    }
    case 'eviction-progress':
      return stay({
        ...state,
        eviction: {
          outcome: 'pending',
          attempts: event.attempt,
          lastStatus: event.status,
          // The dashboard shows every attempt while it retries: what went wrong, else why it evicts.
          message: event.why ?? state.reason,
          at: new Date(event.at).toISOString(),
        },
      });
    case 'eviction-finished': {
      const eviction = {
        outcome: event.outcome,
        attempts: event.attempts,
        lastStatus: event.lastStatus,
        message: event.message,
        at: new Date(event.at).toISOString(),
      };
      if (event.outcome !== 'failed') {
        return {
          state: { ...state, eviction, phase: 'evicted', reason: event.message },
          effects: [{ type: 'exit', code: 0 }],
        };
      }
      return {
        state: { ...state, eviction, phase: 'eviction-failed', reason: event.message, lastError: event.message },
        effects: [{ type: 'exit', code: 1 }],
      };
    }
  }
}

/** Clean checks and the credential's verdict are both in: start, or say why not. */
function afterCredential(state: PolicyState, options: PolicyOptions, at: number): Transition {
  const { profile } = options;
  const { verdict, problem } = state.credentialVerdict ?? { verdict: 'unknown', problem: undefined };
  if (state.stopRequested) return stopped(state, `stopped on request before the ${profile.program} started`);
  if (verdict === 'refused') {
    // It does not serve: a workspace that cannot evict itself would hold its slot once locked,
    // and a timed self-eviction would fail the same way: say what really happens.
    return quarantine(
      state,
      `${profile.credentialRefused}: ${problem ?? ''}`,
      options,
      profile.singleUse
        ? 'it cannot delete itself either, so it stays quarantined until the token is fixed and the workspace restarted, or someone deletes it'
        : 'it stays quarantined until the token is fixed and the workspace restarted',
    );
  }
  // Unknown (Coder unreachable for now): serve; the eviction itself retries and says what fails.
  return startOrWait(state, options, at);
}

/** A live program that no longer works (or outlived its cap) is killed with every runner-user process. */
function killProgram(state: PolicyState, why: string): Transition {
  // Only a live program that is not already being killed or evicted; a drain does not wait for one that no longer works.
  if (!state.programAlive || state.killReason || state.phase === 'evicting' || isFinal(state.phase)) return stay(state);
  return {
    state: {
      ...state,
      killReason: why,
      lastError: `the program ${why}`,
      reason: `the program ${why}; killing it and every process of the runner user`,
    },
    effects: [{ type: 'kill-program', reason: why }],
  };
}

function onTimer(state: PolicyState, event: EventOf<'timer-elapsed'>, options: PolicyOptions): Transition {
  const { profile } = options;
  switch (event.timer) {
    case 'restart':
      if ((state.phase !== 'backoff' && state.phase !== 'unreachable') || state.stopRequested) return stay(state);
      return spawn({ ...state, restarts: state.restarts + 1 }, `restarting the ${profile.program}`, options, event.at);
    case 'quarantine':
      if (state.phase !== 'quarantined') return stay(state);
      if (!profile.singleUse) {
        // A long-lived host tries again: the cause may have been fixed meanwhile (a rotated secret).
        return spawn(
          { ...state, shortRunsInRow: 0, restarts: state.restarts + 1 },
          `quarantine over; trying the ${profile.program} again`,
          options,
          event.at,
        );
      }
      return evict(
        state,
        `quarantine over, still broken (${state.lastError ?? 'unknown'}); making room for a fresh workspace`,
        options,
        event.at,
      );
    case 'lifetime':
      if (state.locked || state.stopRequested) return stay(state);
      if (state.phase === 'running' && state.programAlive) {
        return {
          state: {
            ...state,
            phase: 'draining',
            reason: `maximum lifetime reached; draining the idle ${profile.program}`,
          },
          effects: [{ type: 'drain-program' }, { type: 'start-timer', timer: 'drain', delayMs: options.stopBudgetMs }],
        };
      }
      if (['backoff', 'unreachable', 'quarantined', 'starting', 'waiting-for-order'].includes(state.phase)) {
        return evict(state, 'maximum lifetime reached', options, event.at);
      }
      return stay(state);
    case 'drain':
      // The drain's budget is over: its whole group goes (reported by the exit as a kill).
      if (!state.programAlive) return stay(state);
      return { state, effects: [{ type: 'kill-program', reason: 'the drain timeout passed' }] };
    case 'cap':
      if (!state.cap) return stay(state);
      return killProgram(
        state,
        `outlived its lifetime cap (${state.cap.capText}) and the time it had to release its sessions`,
      );
    case 'order-wait':
      if (state.phase !== 'waiting-for-order') return stay(state);
      return evict(
        state,
        `no work order came within ${Math.round(options.orderWaitMs / 60_000)} min; an orphaned on-demand workspace must not hold a slot`,
        options,
        event.at,
      );
  }
}
