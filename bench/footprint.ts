// Footprint: the supervisor's RSS and CPU seconds per hour, idle and while a session runs,
// with health polling on at the module's default interval (10 s).
import { execa } from 'execa';
import { bundle, makeSandbox, readItem, waitFor } from '../tests/helpers/sandbox.js';
import { cpuAndRss, sleep, stopOurs, supervisorPid } from './processes.js';

export interface FootprintSample {
  rssMiB: number;
  cpuSecondsPerHour: number;
}

/** The module's default health interval; `--quick` polls every second so that it waits less. */
export interface FootprintTiming {
  windowMs: number;
  healthIntervalSec: number;
  settleMs: number;
}

async function sampleSupervisor(scenarios: string, timing: FootprintTiming, extraEnv: Record<string, string>) {
  const { windowMs } = timing;
  const sb = await makeSandbox({ scenarios, extraEnv });
  try {
    const interval = String(timing.healthIntervalSec);
    const flags = sb.flags.map((flag, i, all) => (all[i - 1] === '--health-interval-sec' ? interval : flag));
    await execa(process.execPath, [bundle, 'start', ...flags], { env: sb.env, extendEnv: false });
    await waitFor('runner up', () => readItem(sb, '2_runner_id')?.startsWith('ccrunner_'), 30_000);
    if (scenarios === 'session-then-drain')
      await waitFor('session', () => readItem(sb, '1_active_sessions') === '1 / 4', 30_000);
    await sleep(timing.settleMs);
    const pid = supervisorPid(sb);
    const before = cpuAndRss(pid);
    await sleep(windowMs);
    const after = cpuAndRss(pid);
    await stopOurs(sb);
    return {
      rssMiB: after.rssKiB / 1024,
      cpuSecondsPerHour: ((after.cpuSeconds - before.cpuSeconds) * 3_600_000) / windowMs,
    };
  } finally {
    await sb.cleanup();
  }
}

export async function measureFootprint(
  timing: FootprintTiming,
): Promise<{ idle: FootprintSample; session: FootprintSample }> {
  const idle = await sampleSupervisor('idle', timing, {});
  const session = await sampleSupervisor('session-then-drain', timing, {
    STANDIN_SESSION_AFTER_MS: '200',
    STANDIN_SESSION_SEC: String(Math.ceil(timing.windowMs / 1000) + 20),
  });
  return { idle, session };
}
