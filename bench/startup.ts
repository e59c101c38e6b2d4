// Start-up: from launcher start to `start` returning, and to the runner spawned; ours (the
// rendered launcher, run by sh -c with a fresh script data dir, as at a new prebuild's first
// start) against the baseline (bench/baseline/run.sh).
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { type Rendered } from '../tests/helpers/render-module.js';
import { type Sandbox } from '../tests/helpers/sandbox.js';
import { baselineScript, runnerStartedAt, stopBaseline, stopOurs } from './processes.js';
import { median } from './stats.js';

export interface StartupResult {
  runs: number;
  ours: { returnMs: number; spawnMs: number };
  baseline: { returnMs: number; spawnMs: number };
}

export async function measureStartup(
  ours: { sb: Sandbox; rendered: Rendered },
  baseline: Sandbox,
  runs: number,
): Promise<StartupResult> {
  const oursReturn: number[] = [];
  const oursSpawn: number[] = [];
  for (let i = 1; i <= runs; i += 1) {
    const dataDir = path.join(ours.sb.dir, 'script-data', `startup-${i}`);
    const env = {
      ...ours.sb.env,
      ...ours.rendered.env,
      CODER_AGENT_URL: ours.sb.api.url,
      CODER_SCRIPT_DATA_DIR: dataDir,
    };
    const t0 = Date.now();
    await execa('/bin/sh', ['-c', ours.rendered.launcher], { env, extendEnv: false, stdin: 'ignore' });
    oursReturn.push(Date.now() - t0);
    oursSpawn.push((await runnerStartedAt(ours.sb, i)) - t0);
    await stopOurs(ours.sb);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const baseReturn: number[] = [];
  const baseSpawn: number[] = [];
  for (let i = 1; i <= runs; i += 1) {
    const env = {
      ...baseline.env,
      RUNNER_BINARY_PATH: baseline.runnerBinary,
      CLAUDE_BINARY_PATH: baseline.claudeBinary,
      HEALTH_PORT: String(baseline.healthPort),
      CODER_AGENT_URL: baseline.api.url.replace(/\/$/, ''),
    };
    const t0 = Date.now();
    await execa('bash', [baselineScript], { env, extendEnv: false, stdin: 'ignore' });
    baseReturn.push(Date.now() - t0);
    baseSpawn.push((await runnerStartedAt(baseline, i)) - t0);
    await stopBaseline(baseline, i);
  }
  return {
    runs,
    ours: { returnMs: median(oursReturn), spawnMs: median(oursSpawn) },
    baseline: { returnMs: median(baseReturn), spawnMs: median(baseSpawn) },
  };
}
