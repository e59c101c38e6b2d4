// Workspace-hours and the user's wait for one synthetic working day of sessions, a fixed pool
// against on-demand, from the times measured on the real Coder server (bench/on-demand/run.ts).
// A model, not a measurement: its assumptions are the constants below, and RESULTS.md says them.
import { percentile, seededRandom } from '../stats.js';

export interface MeasuredTimes {
  /** Spawn request to the hook's exit (the create accepted). */
  hookMs: number;
  /** Create request to the workspace's agent ready (a fresh build). */
  readyMs: number;
  /** Agent ready to the runner registered (the runner's own start and registration). */
  registerMs: number;
  /** The runner's exit to the workspace gone (self-eviction: the delete build). */
  evictMs: number;
}

export interface Session {
  at: number;
  durationMs: number;
}

const minute = 60_000;
const hour = 60 * minute;
export const dayMs = 24 * hour;
/** Coder's prebuild reconciler looks every 15 s by default: a replacement starts 0 to 15 s after the need. */
const reconcileEveryMs = 15_000;

/**
 * The day: 150 sessions spread over 08:00 to 18:00, 30 that start between 09:00 and 09:05 (the
 * stand-up burst), 15 in the evening (18:00 to 22:00); lengths log-normal around 20 minutes
 * (sigma 0.8, at most 4 hours). Seeded: the same day every run.
 */
export function syntheticDay(seed = 19): Session[] {
  const random = seededRandom(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const length = (): number => Math.min(4 * hour, 20 * minute * Math.exp(0.8 * normal()));
  const within = (from: number, to: number): number => from + random() * (to - from);
  const sessions: Session[] = [];
  for (let i = 0; i < 150; i += 1) sessions.push({ at: within(8 * hour, 18 * hour), durationMs: length() });
  for (let i = 0; i < 30; i += 1) sessions.push({ at: within(9 * hour, 9 * hour + 5 * minute), durationMs: length() });
  for (let i = 0; i < 15; i += 1) sessions.push({ at: within(18 * hour, 22 * hour), durationMs: length() });
  return sessions.sort((a, b) => a.at - b.at);
}

export function peakConcurrency(sessions: Session[]): number {
  const edges = sessions.flatMap((s) => [
    { t: s.at, d: 1 },
    { t: s.at + s.durationMs, d: -1 },
  ]);
  edges.sort((a, b) => a.t - b.t || a.d - b.d);
  let now = 0;
  let peak = 0;
  for (const e of edges) {
    now += e.d;
    peak = Math.max(peak, now);
  }
  return peak;
}

export interface StrategyResult {
  label: string;
  workspaceHours: number;
  /** Of those, hours that no session used (idle, building, evicting). */
  idleHours: number;
  waitMedianS: number;
  waitP95S: number;
  waitMaxS: number;
  /** Sessions whose user waited more than a minute. */
  waitedOverMinute: number;
}

const clip = (from: number, to: number): number => Math.max(0, Math.min(to, dayMs) - Math.max(0, from));

function result(label: string, lifetimes: [number, number][], waits: number[], sessions: Session[]): StrategyResult {
  const workspaceHours = lifetimes.reduce((sum, [from, to]) => sum + clip(from, to), 0) / hour;
  const used =
    sessions.reduce((sum, s, i) => sum + clip(s.at + (waits[i] ?? 0), s.at + (waits[i] ?? 0) + s.durationMs), 0) / hour;
  return {
    label,
    workspaceHours,
    idleHours: workspaceHours - used,
    waitMedianS: percentile(waits, 50) / 1000,
    waitP95S: percentile(waits, 95) / 1000,
    waitMaxS: Math.max(...waits) / 1000,
    waitedOverMinute: waits.filter((w) => w > minute).length,
  };
}

/**
 * A fixed pool: `size` ready workspaces all day; a session takes a ready one, which self-evicts
 * after it, and the reconciler builds its replacement. A session that finds none waits for the
 * next one to be ready (the runner registered).
 */
export function fixedPool(sessions: Session[], size: number, t: MeasuredTimes, seed = 7): StrategyResult {
  const random = seededRandom(seed);
  const readyIn = t.readyMs + t.registerMs;
  // Each slot: when its current workspace was created and when it is (or will be) ready and free.
  const slots = Array.from({ length: size }, () => ({ createdAt: -readyIn, freeAt: 0 }));
  const lifetimes: [number, number][] = [];
  const waits: number[] = [];
  for (const s of sessions) {
    const slot = slots.reduce((best, x) => (x.freeAt < best.freeAt ? x : best));
    const start = Math.max(s.at, slot.freeAt);
    waits.push(start - s.at);
    const end = start + s.durationMs;
    lifetimes.push([slot.createdAt, end + t.evictMs]);
    // The replacement: the reconciler notices within its interval, then a fresh build.
    slot.createdAt = end + random() * reconcileEveryMs;
    slot.freeAt = slot.createdAt + readyIn;
  }
  for (const slot of slots) lifetimes.push([slot.createdAt, dayMs]);
  return result(`fixed pool of ${size}`, lifetimes, waits, sessions);
}

/**
 * On-demand: each request runs the hook (at most `hookConcurrency` at once), which creates a
 * workspace; it is ready after a fresh build; the workspace evicts itself after its session.
 * With `buffer` prebuilds (Premium), a request claims a ready one instead: its wait is the
 * claim's start build, `claimMs`, and the reconciler refills the buffer.
 */
export function onDemand(
  sessions: Session[],
  t: MeasuredTimes,
  options: { hookConcurrency: number; buffer?: number; claimMs?: number },
  seed = 7,
): StrategyResult {
  const random = seededRandom(seed);
  const lanes = Array.from({ length: options.hookConcurrency }, () => 0);
  const buffer = Array.from({ length: options.buffer ?? 0 }, () => ({ createdAt: -t.readyMs, readyAt: 0 }));
  const lifetimes: [number, number][] = [];
  const waits: number[] = [];
  for (const s of sessions) {
    const lane = lanes.indexOf(Math.min(...lanes));
    const hookStart = Math.max(s.at, lanes[lane] ?? 0);
    const created = hookStart + t.hookMs;
    lanes[lane] = created;
    const warm = buffer.find((b) => b.readyAt <= created);
    let start: number;
    if (warm && options.claimMs !== undefined) {
      start = created + options.claimMs + t.registerMs;
      lifetimes.push([warm.createdAt, start + s.durationMs + t.evictMs]);
      warm.createdAt = created + random() * reconcileEveryMs;
      warm.readyAt = warm.createdAt + t.readyMs;
    } else {
      start = created + t.readyMs + t.registerMs;
      lifetimes.push([hookStart, start + s.durationMs + t.evictMs]);
    }
    waits.push(start - s.at);
  }
  for (const b of buffer) lifetimes.push([b.createdAt, dayMs]);
  const label = options.buffer ? `on-demand, ${options.buffer} prebuilds as the warm buffer` : 'on-demand, no buffer';
  return result(label, lifetimes, waits, sessions);
}
