import { afterEach, describe, expect, it } from 'vitest';
import { readStatusFile, waitFor } from '../helpers/sandbox.js';
import {
  makeIsolatedSandbox,
  processesOfUid,
  runnerStarts,
  type IsolatedSandbox,
} from '../helpers/isolation-sandbox.js';

/**
 * Five launchers at the same instant with isolation on (agent restarts, a script run twice):
 * the losers must not prepare the workspace (the runner user's files, the secret file, the base
 * dir) while the winner's runner starts. The preparation runs under the single-instance lock,
 * so exactly one runner starts, registers and serves, and nothing counts as a session trace.
 */
let sb: IsolatedSandbox | undefined;

afterEach(async () => {
  await sb?.dispose();
  sb = undefined;
});

describe('five simultaneous launchers with isolation', () => {
  for (const round of [1, 2, 3, 4]) {
    it(`round ${round}: every one exits 0; one supervisor, one runner that registers; nothing evicted`, async () => {
      sb = await makeIsolatedSandbox({ scenarios: 'idle' });
      const s = sb;
      const results = await Promise.all(Array.from({ length: 5 }, () => s.asWorkspaceUser(['start', ...s.flags])));
      for (const result of results) {
        expect(result.exitCode, result.stderr).toBe(0);
        expect(result.stdout.trim()).toMatch(
          /^(supervisor started \(pid \d+\)|the supervisor is already running \(pid \d+\); nothing to do)/,
        );
      }
      expect(results.filter((r) => r.stdout.startsWith('supervisor started'))).toHaveLength(1);
      await waitFor('registered', () => readStatusFile(s)?.runnerId?.startsWith('ccrunner_'), 20_000);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const status = readStatusFile(s);
      expect(status?.state).toBe('running');
      expect(status?.locked).toBe(false);
      expect(runnerStarts(s)).toBe(1);
      expect(s.api.deleteBuilds).toBe(0);
      const stop = await s.asWorkspaceUser(['stop', '--drain-timeout-sec', '100']);
      expect(stop.exitCode, stop.stderr).toBe(0);
      expect(processesOfUid(s.runnerUid() as number)).toEqual([]);
    }, 90_000);
  }
});
