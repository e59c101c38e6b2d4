import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hostileFindings,
  makeIsolatedSandbox,
  processesOfUid,
  runnerStarts,
  waitForEviction,
  type IsolatedSandbox,
} from '../helpers/isolation-sandbox.js';

/**
 * Attack: the session gathers what it can from /proc and runs the launcher again, to get a
 * supervisor (and a runner) of its own.
 */
let sb: IsolatedSandbox;

beforeAll(async () => {
  sb = await makeIsolatedSandbox({ hostile: { HOSTILE_ACTIONS: 'environ,relaunch', HOSTILE_STAY_MS: '300' } });
}, 60_000);

afterAll(async () => {
  await sb.dispose();
});

describe('a session that relaunches the supervisor', () => {
  it('gets no supervisor of its own: the eviction token is nowhere it can read', async () => {
    const bundle = path.join(sb.dir, 'bin', 'supervisor.cjs');
    const launcher = `'${process.execPath}' '${bundle}' start ${sb.flags.map((f) => `'${f}'`).join(' ')}`;
    const started = await sb.asWorkspaceUser(['start', ...sb.flags], { HOSTILE_LAUNCHER: launcher });
    expect(started.exitCode, started.stderr).toBe(0);
    await waitForEviction(sb);
    const found = hostileFindings(sb);
    expect(found.relaunch).toHaveLength(1);
    const [relaunch] = found.relaunch;
    expect(relaunch?.status).not.toBe(0);
    expect(relaunch?.stderr).toMatch(/CODER_SELF_TOKEN/);
    expect(runnerStarts(sb)).toBe(1);
    expect(sb.api.deleteBuilds).toBe(1);
    expect(processesOfUid(sb.runnerUid() as number)).toEqual([]);
  }, 90_000);
});
