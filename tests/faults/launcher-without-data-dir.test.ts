import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyModule } from '../helpers/render-module.js';
import { makeSandbox, readStatusFile, standInEvents, waitFor, type Sandbox } from '../helpers/sandbox.js';

/**
 * The launcher outside a Coder agent (a systemd unit, a container entrypoint, a test): no
 * CODER_SCRIPT_DATA_DIR. It used to fail with `ln: ... are the same file` (exit 1): the bundle and
 * the stop script's link were one path.
 */
let sandbox: Sandbox;
let launcher: string;
let stopper: string;

beforeAll(async () => {
  sandbox = await makeSandbox({ scenarios: 'idle' });
  ({ launcher, stopper } = await applyModule(sandbox));
}, 120_000);

afterAll(async () => {
  await sandbox.cleanup();
});

describe('the launcher without CODER_SCRIPT_DATA_DIR', () => {
  it('starts the supervisor twice (the second time as a no-op) and the stop script still finds the bundle', async () => {
    const env = { ...sandbox.env, CODER_AGENT_URL: sandbox.api.url };
    for (let i = 0; i < 2; i += 1) {
      const run = await execa('sh', ['-c', launcher], { env, extendEnv: false, reject: false });
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stderr).toBe('');
    }
    await waitFor('runner up', () => readStatusFile(sandbox)?.programPid);
    const link = path.join(sandbox.stateDir, 'supervisor.cjs');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.statSync(link).isFile()).toBe(true);
    const stop = await execa('sh', ['-c', stopper], { env, extendEnv: false, reject: false });
    expect(stop.exitCode, stop.stderr).toBe(0);
    expect(readStatusFile(sandbox)?.state).toBe('stopped');
    expect(standInEvents(sandbox).filter((e) => e.event === 'start')).toHaveLength(1);
    expect(sandbox.api.deleteBuilds).toBe(0);
  });
});
