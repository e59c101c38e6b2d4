import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readItem, readStatusFile, waitFor } from '../helpers/sandbox.js';
import {
  makeIsolatedSandbox,
  processesOfUid,
  runnerStarts,
  uidOf,
  type IsolatedSandbox,
} from '../helpers/isolation-sandbox.js';

/**
 * Issue 28: a process of another user takes the health port while the runner restarts (it
 * crashed before any session), so the fresh runner only warns and runs without /healthz, and the
 * supervisor took the stranger's answers for its runner's: its runner_id on the dashboard, a
 * hung runner never found out. The port's owner is checked at every start: the answers of a
 * listener that is not the runner user's are not the runner's, and such a runner no longer works.
 */
let sb: IsolatedSandbox;
let stranger: ResultPromise | undefined;
const nobody = uidOf('nobody') as number;

// Binds the port as soon as it is free, and answers /healthz as a runner would.
const strangerScript = `
const http = require('node:http');
const port = Number(process.argv[1]);
const body = JSON.stringify({ status: 'ok', runner_id: 'ccrunner_stranger', active_sessions: 0, last_poll_at: new Date().toISOString(), last_poll_age_ms: 5 });
const bind = () => {
  const server = http.createServer((_req, res) => res.end(body));
  server.once('error', () => setTimeout(bind, 20));
  server.listen(port, '0.0.0.0', () => console.log('bound'));
};
bind();`;

beforeAll(async () => {
  sb = await makeIsolatedSandbox({ scenarios: 'crash-after,idle' });
  sb.env.STANDIN_CRASH_AFTER_MS = '2500';
}, 60_000);

afterAll(async () => {
  stranger?.kill('SIGKILL');
  await sb.dispose();
});

describe('a stranger that takes the health port during an unlocked restart', () => {
  it('is never taken for the runner: its runner_id never shown, the runner it blinds is stopped, then quarantine', async () => {
    const started = await sb.asWorkspaceUser(['start', ...sb.flags]);
    expect(started.exitCode, started.stderr).toBe(0);
    await waitFor('the first runner registered', () => readStatusFile(sb)?.runnerId?.startsWith('ccrunner_standin'));
    stranger = execa(
      'setpriv',
      [
        `--reuid=${nobody}`,
        `--regid=${nobody}`,
        '--clear-groups',
        '--',
        process.execPath,
        '-e',
        strangerScript,
        String(sb.healthPort),
      ],
      {
        reject: false,
        stdin: 'ignore',
      },
    );
    const seenIds = new Set<string>();
    await waitFor(
      'quarantine',
      () => {
        const id = readItem(sb, '2_runner_id');
        if (id) seenIds.add(id);
        return readStatusFile(sb)?.state === 'quarantined';
      },
      45_000,
      100,
    );
    const status = readStatusFile(sb);
    expect([...seenIds].filter((id) => id.includes('stranger'))).toEqual([]);
    expect(status?.runnerId ?? '').not.toMatch(/stranger/);
    expect(JSON.stringify(status)).toMatch(
      new RegExp(`health port ${sb.healthPort} is held by a process of uid ${nobody}`),
    );
    // Found at a restart, not at the first start: the stranger could only bind once the first runner died.
    expect(status?.restarts).toBeGreaterThanOrEqual(1);
    expect(runnerStarts(sb)).toBeGreaterThanOrEqual(1);
    expect(sb.api.deleteBuilds).toBe(0);
    expect(processesOfUid(sb.runnerUid() as number)).toEqual([]);
  }, 90_000);
});
