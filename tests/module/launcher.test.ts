import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { applyModule } from '../helpers/render-module.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeSandbox,
  readStatusFile,
  repoRoot,
  secrets,
  standInEvents,
  waitFor,
  type Sandbox,
} from '../helpers/sandbox.js';

/**
 * The module's launcher, rendered by Terraform with the real coder provider and run by `sh -c`
 * as the Coder agent runs it, starts the real bundle; the stop script drains it.
 */
let sandbox: Sandbox;
let launcher: string;
let stopper: string;

function agentEnv(sb: Sandbox, dataDir: string, pathValue = process.env.PATH ?? ''): Record<string, string> {
  // As the agent runs scripts: its URL with a trailing slash, the script data dir, coder_env values.
  return { ...sb.env, PATH: pathValue, CODER_AGENT_URL: sb.api.url, CODER_SCRIPT_DATA_DIR: dataDir };
}

beforeAll(async () => {
  sandbox = await makeSandbox({ scenarios: 'idle' });
  ({ launcher, stopper } = await applyModule(sandbox));
}, 120_000);

afterAll(async () => {
  await sandbox.cleanup();
});

describe('the rendered launcher', () => {
  it('is small enough and shows what will run', () => {
    expect(launcher).toContain(`RUNNER_BINARY='${sandbox.runnerBinary}'`);
    expect(launcher).not.toContain(secrets.pool);
    expect(launcher).not.toContain(secrets.token);
    expect(Buffer.byteLength(launcher)).toBeLessThan(200 * 1024);
  });

  it('fails clearly when node is not on PATH', async () => {
    const result = await execa('/bin/sh', ['-c', launcher], {
      env: agentEnv(sandbox, path.join(sandbox.dir, 'data-missing-node'), '/nonexistent'),
      extendEnv: false,
      reject: false,
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('Node.js not found');
    expect(result.stderr).toContain('node_binary_path');
  });

  it('starts the real bundle through sh -c, then the stop script drains it without eviction', async () => {
    const dataDir = path.join(sandbox.dir, 'script-data');
    const started = await execa('sh', ['-c', launcher], {
      env: agentEnv(sandbox, dataDir),
      extendEnv: false,
      reject: false,
    });
    expect(started.exitCode, started.stderr).toBe(0);
    expect(started.stdout).toMatch(/supervisor started/);
    expect(fs.readFileSync(path.join(dataDir, 'supervisor.cjs'))).toEqual(
      fs.readFileSync(path.join(repoRoot, 'module', 'supervisor.cjs')),
    );
    await waitFor('runner up', () => readStatusFile(sandbox)?.state === 'running' && readStatusFile(sandbox)?.runnerId);

    // A second run is a no-op that says so, and does not rewrite an unchanged bundle.
    const mtime = fs.statSync(path.join(dataDir, 'supervisor.cjs')).mtimeMs;
    const again = await execa('sh', ['-c', launcher], {
      env: agentEnv(sandbox, dataDir),
      extendEnv: false,
      reject: false,
    });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/already running/);
    expect(fs.statSync(path.join(dataDir, 'supervisor.cjs')).mtimeMs).toBe(mtime);

    const stopped = await execa('sh', ['-c', stopper], {
      env: agentEnv(sandbox, path.join(sandbox.dir, 'stop-data')),
      extendEnv: false,
      reject: false,
    });
    expect(stopped.exitCode, stopped.stderr).toBe(0);
    expect(readStatusFile(sandbox)?.state).toBe('stopped');
    expect(sandbox.api.deleteBuilds).toBe(0);
    expect(standInEvents(sandbox).some((e) => e.event === 'drain')).toBe(true);
  });
});
