import { describe, expect, it } from 'vitest';
import { planBoot, type BootFacts } from '../../../../supervisor/src/lifecycle/boot.js';
import { emptyStatus, type SupervisorStatus } from '../../../../supervisor/src/state/status.js';

const now = 1_800_000_000_000;
const facts = (over: Partial<BootFacts> = {}, previous: Partial<SupervisorStatus> | undefined = undefined) => ({
  now,
  previous: previous === undefined ? undefined : { ...emptyStatus(new Date(now)), ...previous },
  lockedFlagExists: false,
  orphanAlive: false,
  maxLifetimeMs: 0,
  ...over,
});

describe('planBoot', () => {
  it('a fresh workspace: preflight, no lifetime', () => {
    expect(planBoot(facts())).toEqual({
      locked: false,
      alreadyEvicted: false,
      retireAt: undefined,
      lifetimeOver: false,
      adoptOrphan: false,
      runPreflight: true,
      armLifetimeTimer: false,
    });
  });

  it('the lock record or the previous status makes it locked, and skips preflight', () => {
    expect(planBoot(facts({ lockedFlagExists: true }))).toMatchObject({ locked: true, runPreflight: false });
    expect(planBoot(facts({}, { locked: true }))).toMatchObject({ locked: true, runPreflight: false });
  });

  it('a finished eviction is remembered', () => {
    const previous = { eviction: { outcome: 'succeeded' as const, attempts: 1, lastStatus: 201, message: '', at: '' } };
    expect(planBoot(facts({}, previous))).toMatchObject({ alreadyEvicted: true, runPreflight: false });
  });

  it('keeps the first retirement time across restarts, so a restart cannot extend it', () => {
    const first = planBoot(facts({ maxLifetimeMs: 60_000 }));
    expect(first).toMatchObject({ retireAt: now + 60_000, armLifetimeTimer: true, lifetimeOver: false });
    const later = planBoot(
      facts({ maxLifetimeMs: 60_000, now: now + 120_000 }, { retireAtEpochSec: (now + 60_000) / 1000 }),
    );
    expect(later).toMatchObject({ retireAt: now + 60_000, lifetimeOver: true });
  });

  it('adopts a runner left by a killed supervisor instead of starting one', () => {
    expect(planBoot(facts({ orphanAlive: true }, { runnerPid: 4242 }))).toMatchObject({
      adoptOrphan: true,
      runPreflight: false,
    });
  });

  it('an eviction under way when the supervisor was killed is due again, locked or not', () => {
    const previous = {
      eviction: { outcome: 'pending' as const, attempts: 0, lastStatus: undefined, message: '', at: '' },
    };
    expect(planBoot(facts({}, previous))).toMatchObject({ alreadyEvicted: true, locked: false, runPreflight: false });
  });
});
