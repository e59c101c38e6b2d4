// Dashboard cost: CPU time per hour of the four metadata scripts at their intervals; ours
// (the module's scripts, which read files) against the baseline's (curl + jq on /healthz).
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import type { Rendered } from '../tests/helpers/render-module.js';
import type { Sandbox } from '../tests/helpers/sandbox.js';

const intervals: Record<string, number> = {
  '0_lock_status': 10,
  '1_active_sessions': 5,
  '2_runner_id': 30,
  '3_last_poll': 15,
};

/** CPU seconds of `runs` executions of a script by sh, from bash's `times` (children's line). */
async function cpuOf(script: string, runs: number, env: Record<string, string>): Promise<number> {
  const file = path.join(fs.mkdtempSync('/tmp/dash-'), 'item.sh');
  fs.writeFileSync(file, script);
  const { stdout } = await execa(
    'bash',
    ['-c', `for i in $(seq ${runs}); do sh "$0" >/dev/null 2>&1; done; times`, file],
    {
      env,
      extendEnv: false,
    },
  );
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  const children = stdout.trim().split('\n').pop() ?? '';
  const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return seconds.reduce((a, b) => a + b, 0);
}

export interface DashboardCost {
  oursCpuSecondsPerHour: number;
  baselineCpuSecondsPerHour: number;
  perItem: { key: string; oursMs: number; baselineMs: number }[];
}

export async function measureDashboard(
  ours: { sb: Sandbox; rendered: Rendered },
  baselineDir: string,
  baseline: Sandbox,
  runs: number,
): Promise<DashboardCost> {
  let oursHour = 0;
  let baseHour = 0;
  const perItem: DashboardCost['perItem'] = [];
  for (const item of ours.rendered.metadata.filter((m) => m.key in intervals)) {
    const interval = intervals[item.key] ?? 10;
    const oursCpu = (await cpuOf(item.script, runs, { ...ours.sb.env })) / runs;
    const baseScript = fs.readFileSync(path.join(baselineDir, 'metadata', `${item.key}.sh`), 'utf8');
    const baseCpu =
      (await cpuOf(baseScript, runs, { ...baseline.env, HEALTH_PORT: String(baseline.healthPort) })) / runs;
    oursHour += (oursCpu * 3600) / interval;
    baseHour += (baseCpu * 3600) / interval;
    perItem.push({ key: item.key, oursMs: oursCpu * 1000, baselineMs: baseCpu * 1000 });
  }
  return { oursCpuSecondsPerHour: oursHour, baselineCpuSecondsPerHour: baseHour, perItem };
}
