import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyModule } from '../helpers/render-module.js';
import { makeSandbox, readStatusFile, runBundle, standInEvents, waitFor, type Sandbox } from '../helpers/sandbox.js';

/**
 * Simultaneous launchers (agent restarts, a script run twice): each exits 0 with one clear line,
 * and the workspace ends with one supervisor and one runner. Before the fix, the bundle was
 * unpacked to one fixed temporary name and a launcher could die on a rename ENOENT.
 */
let sandbox: Sandbox;
let launcher: string;

beforeAll(async () => {
  sandbox = await makeSandbox({ scenarios: 'idle' });
  ({ launcher } = await applyModule(sandbox));
}, 120_000);

afterAll(async () => {
  await sandbox.cleanup();
});

describe('simultaneous launchers', () => {
  for (const [round, count] of [2, 5, 10].entries()) {
    it(`${count} at once: every one exits 0 with a clear line; one supervisor, one runner`, async () => {
      // A fresh script data dir each round, so every launcher unpacks the bundle at once.
      const dataDir = `${sandbox.dir}/race-${round}`;
      const results = await Promise.all(
        Array.from({ length: count }, () =>
          execa('sh', ['-c', launcher], {
            env: { ...sandbox.env, CODER_AGENT_URL: sandbox.api.url, CODER_SCRIPT_DATA_DIR: dataDir },
            extendEnv: false,
            reject: false,
          }),
        ),
      );
      for (const result of results) {
        expect(result.exitCode, result.stderr).toBe(0);
        expect(result.stderr).toBe('');
        expect(result.stdout.trim()).toMatch(
          /^(supervisor started \(pid \d+\)|the supervisor is already running \(pid \d+\); nothing to do)/,
        );
      }
      await waitFor('runner up', () => readStatusFile(sandbox)?.state === 'running');
      await waitFor('the runner started', () => standInEvents(sandbox).some((e) => e.event === 'start'));
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(standInEvents(sandbox).filter((e) => e.event === 'start')).toHaveLength(1);
    }, 60_000);
  }

  it('the one supervisor stops cleanly', async () => {
    const stop = await runBundle(sandbox, ['stop', '--drain-timeout-sec', '100']);
    expect(stop.exitCode).toBe(0);
    expect(sandbox.api.deleteBuilds).toBe(0);
  }, 60_000);
});
