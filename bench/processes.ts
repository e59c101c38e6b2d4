// Helpers shared by the benchmarks that run real processes.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { bundle, readStatusFile, standInEvents, waitFor, type Sandbox } from '../tests/helpers/sandbox.js';

export const baselineScript = path.join(path.dirname(new URL(import.meta.url).pathname), 'baseline', 'run.sh');

/** CPU seconds (user + system) and RSS (KiB) of a live process, from /proc. */
export function cpuAndRss(pid: number): { cpuSeconds: number; rssKiB: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rss = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return { cpuSeconds: ticks / 100, rssKiB: rss };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** When the stand-in runner of the n-th start recorded that it started (ms since the epoch). */
export async function runnerStartedAt(sb: Sandbox, nth: number): Promise<number> {
  const event = await waitFor(
    `runner start ${nth}`,
    () => standInEvents(sb).filter((e) => e.event === 'start')[nth - 1],
  );
  return Number(event.at);
}

/** Stops our supervisor (and its runner) through the real `stop`. */
export async function stopOurs(sb: Sandbox): Promise<void> {
  await execa(process.execPath, [bundle, 'stop', '--state-dir', sb.stateDir, '--drain-timeout-sec', '100'], {
    env: sb.env,
    extendEnv: false,
  });
}

/** Whether a process is alive (a zombie counts as gone: it has exited, its parent has yet to reap it). */
export function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The parent pid of a live process, from /proc (0 when it is gone). */
function parentOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

/**
 * Stops the baseline's runner of the n-th start and waits until it and its bash supervisor are
 * gone (the supervisor curls the delete build after the runner ends). The runner's end is read
 * from /proc, not from its events: a runner signalled while it registers ends at once without
 * recording an exit, as the real runner does.
 */
export async function stopBaseline(sb: Sandbox, nth: number): Promise<void> {
  const event = standInEvents(sb).filter((e) => e.event === 'start')[nth - 1];
  if (!event) return;
  const supervisor = parentOf(event.pid);
  try {
    process.kill(event.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  await waitFor('baseline runner exit', () => !alive(event.pid));
  if (supervisor > 1) await waitFor('baseline supervisor exit', () => !alive(supervisor));
}

export function supervisorPid(sb: Sandbox): number {
  return readStatusFile(sb)?.supervisorPid ?? 0;
}
