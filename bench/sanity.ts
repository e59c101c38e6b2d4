// What a run of the bench must show whatever the machine's speed: every figure measured, and the
// invariants it observes on the way. Never a timing goal: those are reported, not asserted.
import type { BenchFigures } from './report.js';

const measured = (value: number): boolean => Number.isFinite(value) && value >= 0;

export function problemsOf(f: BenchFigures, expect: { fleetSize: number }): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, what: string): void => {
    if (!ok) problems.push(what);
  };
  for (const [who, s] of Object.entries({ ours: f.startup.ours, baseline: f.startup.baseline })) {
    need(s.returnMs > 0 && s.spawnMs > 0 && measured(s.spawnP95Ms), `start-up of ${who}: not measured`);
  }
  for (const [what, s] of Object.entries({ idle: f.footprint.idle, session: f.footprint.session })) {
    need(s.rssMiB > 0 && measured(s.cpuSecondsPerHour), `footprint ${what}: not measured`);
  }
  need(f.dashboard.perItem.length === 4, `dashboard: ${f.dashboard.perItem.length} items measured, not 4`);
  for (const item of f.dashboard.perItem) {
    need(measured(item.oursMs) && measured(item.baselineMs), `dashboard item ${item.key}: not measured`);
  }
  need(f.bundle.rawBytes > 0 && f.bundle.brotliBytes > 0 && f.bundle.byPackage.length > 0, 'bundle: not measured');
  need(f.launcherBytes > 0, 'launcher: not rendered');
  for (const r of f.faults) {
    need(r.exactlyOneEveryTime, `eviction at ${r.faultRate * 100}% faults: not exactly one delete build every time`);
    need(measured(r.p50Ms) && measured(r.p99Ms), `eviction at ${r.faultRate * 100}% faults: not measured`);
  }
  for (const r of f.fleet) {
    need(
      r.deleteBuilds === expect.fleetSize,
      `fleet (${r.label}): ${r.deleteBuilds} delete builds for ${expect.fleetSize}`,
    );
    need(r.requests >= expect.fleetSize && measured(r.allEvictedAfterS), `fleet (${r.label}): not measured`);
  }
  return problems;
}
