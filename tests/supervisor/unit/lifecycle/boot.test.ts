import { describe, expect, it } from 'vitest';
import { planBoot, type BootFacts } from '../../../../supervisor/src/lifecycle/boot.js';
import { emptyStatus, type SupervisorStatus } from '../../../../supervisor/src/state/status.js';

const now = 1_800_000_000_000;
const facts = (over: Partial<BootFacts> = {}, previous: Partial<SupervisorStatus> | undefined = undefined) => ({
  previous: previous === undefined ? undefined : { ...emptyStatus(new Date(now)), ...previous },
  lockRecordExists: false,
  evidence: undefined,
  isolated: false,
  orphanAlive: false,
  hasOrder: false,
  ...over,
});
const plan = (f: BootFacts, at = now, maxLifetimeMs = 0) => planBoot(f, at, maxLifetimeMs);

describe('planBoot', () => {
  it('a fresh workspace: preflight, no lifetime', () => {
    expect(plan(facts())).toEqual({
      locked: false,
      lockSource: undefined,
      persistEvidence: false,
      evictionStarted: false,
      eviction: undefined,
      retireAt: undefined,
      lifetimeOver: false,
      adoptOrphan: false,
      orderSpent: false,
      outage: undefined,
    });
  });

  it('the lock record or the previous status makes it locked, and skips preflight', () => {
    expect(plan(facts({ lockRecordExists: true }))).toMatchObject({ locked: true });
    expect(plan(facts({}, { locked: true }))).toMatchObject({ locked: true });
    expect(plan(facts({ evidence: 'x' }))).toMatchObject({
      locked: true,
      persistEvidence: true,
      lockSource: 'used before this start: x',
    });
  });

  it('a finished eviction is remembered', () => {
    const previous = { eviction: { outcome: 'succeeded' as const, attempts: 1, lastStatus: 201, message: '', at: '' } };
    expect(plan(facts({}, previous))).toMatchObject({ evictionStarted: true });
  });

  it('keeps the first retirement time across restarts, so a restart cannot extend it', () => {
    const first = plan(facts(), now, 60_000);
    expect(first).toMatchObject({ retireAt: now + 60_000, lifetimeOver: false });
    const later = plan(facts({}, { retireAtEpochSec: (now + 60_000) / 1000 }), now + 120_000, 60_000);
    expect(later).toMatchObject({ retireAt: now + 60_000, lifetimeOver: true });
  });

  it('adopts a runner left by a killed supervisor instead of starting one', () => {
    expect(plan(facts({ orphanAlive: true }, { programPid: 4242 }))).toMatchObject({ adoptOrphan: true });
    expect(plan(facts({ orphanAlive: true, isolated: true }, { programPid: 4242 }))).toMatchObject({
      adoptOrphan: false,
    });
  });

  it('an eviction under way when the supervisor was killed is due again, locked or not', () => {
    const previous = {
      eviction: { outcome: 'pending' as const, attempts: 0, lastStatus: undefined, message: '', at: '' },
    };
    expect(plan(facts({}, previous))).toMatchObject({ evictionStarted: true, locked: false });
  });
});
