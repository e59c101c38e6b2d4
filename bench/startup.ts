// Start-up: from launcher start to `start` returning, and to the runner spawned; ours (the
// rendered launcher, run by sh -c with a fresh script data dir, as at a new workspace's first
// start) against the baseline (bench/baseline/run.sh). The two take turns in every round, so a
// machine that gets busier or quieter during the run weighs on both alike.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { type Rendered } from '../tests/helpers/render-module.js';
import { type Sandbox } from '../tests/helpers/sandbox.js';
import { baselineScript, runnerStartedAt, stopBaseline, stopOurs } from './processes.js';
import { median, percentile } from './stats.js';

export interface StartupFigures {
  returnMs: number;
  spawnMs: number;
  spawnP95Ms: number;
}

export interface StartupResult {
  runs: number;
  ours: StartupFigures;
  baseline: StartupFigures;
  /** The median of each round's ours / baseline, for the runner spawned. */
  spawnRatio: number;
}

function figures(returns: number[], spawns: number[]): StartupFigures {
  return { returnMs: median(returns), spawnMs: median(spawns), spawnP95Ms: percentile(spawns, 95) };
}

export async function measureStartup(
  ours: { sb: Sandbox; rendered: Rendered },
  baseline: Sandbox,
  runs: number,
): Promise<StartupResult> {
  const samples = {
    oursReturn: [] as number[],
    oursSpawn: [] as number[],
    baseReturn: [] as number[],
    baseSpawn: [] as number[],
  };
  const ratios: number[] = [];
  for (let i = 1; i <= runs; i += 1) {
    const dataDir = path.join(ours.sb.dir, 'script-data', `startup-${i}`);
    const env = {
      ...ours.sb.env,
      ...ours.rendered.env,
      CODER_AGENT_URL: ours.sb.api.url,
      CODER_SCRIPT_DATA_DIR: dataDir,
    };
    let t0 = Date.now();
    await execa('/bin/sh', ['-c', ours.rendered.launcher], { env, extendEnv: false, stdin: 'ignore' });
    samples.oursReturn.push(Date.now() - t0);
    const oursSpawn = (await runnerStartedAt(ours.sb, i)) - t0;
    samples.oursSpawn.push(oursSpawn);
    await stopOurs(ours.sb);
    fs.rmSync(dataDir, { recursive: true, force: true });

    t0 = Date.now();
    await execa('bash', [baselineScript], {
      env: {
        ...baseline.env,
        RUNNER_BINARY_PATH: baseline.runnerBinary,
        CLAUDE_BINARY_PATH: baseline.claudeBinary,
        HEALTH_PORT: String(baseline.healthPort),
        CODER_AGENT_URL: baseline.api.url.replace(/\/$/, ''),
      },
      extendEnv: false,
      stdin: 'ignore',
    });
    samples.baseReturn.push(Date.now() - t0);
    const baseSpawn = (await runnerStartedAt(baseline, i)) - t0;
    samples.baseSpawn.push(baseSpawn);
    await stopBaseline(baseline, i);
    ratios.push(oursSpawn / Math.max(1, baseSpawn));
  }
  return {
    runs,
    ours: figures(samples.oursReturn, samples.oursSpawn),
    baseline: figures(samples.baseReturn, samples.baseSpawn),
    spawnRatio: median(ratios),
  };
}
