import { afterEach, describe, expect, it } from 'vitest';
import { runBundle } from '../helpers/sandbox.js';
import {
  makeIsolatedSandbox,
  processesOfUid,
  readStatusFileAsRoot,
  runnerStarts,
  waitForEviction,
  type IsolatedSandbox,
} from '../helpers/isolation-sandbox.js';

/**
 * A minimal image whose agent PATH lacks /usr/sbin and /sbin (where useradd and usermod live):
 * the isolation tools are found where the system keeps them, whatever PATH says, and the runner
 * still runs as its own user.
 */
let sb: IsolatedSandbox | undefined;
const minimalPath = '/usr/local/bin:/usr/bin:/bin';

afterEach(async () => {
  await sb?.dispose();
  sb = undefined;
});

type Starter = (s: IsolatedSandbox) => Promise<{ exitCode?: number; stderr: string }>;

describe('an agent PATH without /usr/sbin and /sbin', () => {
  it.each<[string, Starter]>([
    ['as root (setpriv)', (s) => runBundle(s, ['start', ...s.flags], { PATH: minimalPath })],
    ['as the workspace user with sudo', (s) => s.asWorkspaceUser(['start', ...s.flags], { PATH: minimalPath })],
  ])(
    '%s: creates the runner user, serves as it and self-evicts once',
    async (_as, start) => {
      sb = await makeIsolatedSandbox({ hostile: { HOSTILE_ACTIONS: 'spy' } });
      const started = await start(sb);
      expect(started.exitCode, started.stderr).toBe(0);
      expect(sb.runnerUid()).toBeDefined();
      await waitForEviction(sb);
      expect(readStatusFileAsRoot(sb)?.state).toBe('evicted');
      expect(runnerStarts(sb)).toBe(1);
      expect(sb.api.deleteBuilds).toBe(1);
      expect(processesOfUid(sb.runnerUid() as number)).toEqual([]);
    },
    90_000,
  );
});
