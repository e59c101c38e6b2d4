import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standInEvents } from '../helpers/sandbox.js';
import {
  makeIsolatedSandbox,
  processesOfUid,
  readStatusFileAsRoot,
  runnerStarts,
  waitForEviction,
  type IsolatedSandbox,
} from '../helpers/isolation-sandbox.js';

/**
 * Issue 28: a drop box on a file system with no free inode takes no lock record, so an exit
 * after a session started was taken for a crash: the runner restarted and a second session ran
 * before the delete. Now the exit locks on what else says a session started: its folder in the
 * base dir, or the runner's own lines (`Picked up session`, `child spawned`). Here the drop box is a tmpfs with one inode
 * (its own folder), /healthz never answers (its active_sessions would lock too), and the runner
 * dies under its first session.
 */
let sb: IsolatedSandbox;
let dropBox: string;

beforeAll(async () => {
  sb = await makeIsolatedSandbox({ scenarios: 'session-then-crash,idle' });
  sb.env.STANDIN_SESSION_AFTER_MS = '300';
  sb.env.STANDIN_CRASH_AFTER_MS = '2500';
  // /healthz never answers, so its active_sessions (the other witness) cannot lock first.
  sb.env.STANDIN_HEALTH_HANGS_AFTER_MS = '0';
  dropBox = `/var/lib/claude-self-hosted-runner/${sb.runnerUser}/records`;
  fs.mkdirSync(dropBox, { recursive: true });
  await execa('mount', ['-t', 'tmpfs', '-o', 'nr_inodes=1,size=64k', 'tmpfs', dropBox]);
}, 60_000);

afterAll(async () => {
  await execa('umount', [dropBox], { reject: false });
  await sb.dispose();
});

describe('a session whose runner dies while the drop box can take no record', () => {
  it('locks on the runner’s own session lines: no restart, one delete build', async () => {
    const started = await sb.asWorkspaceUser(['start', ...sb.flags]);
    expect(started.exitCode, started.stderr).toBe(0);
    await waitForEviction(sb, 30_000);
    // The attack's premise: the wrapper could leave nothing in the box.
    expect(fs.readdirSync(dropBox)).toEqual([]);
    expect(standInEvents(sb).filter((e) => e.event === 'exit' && e.code === 1)).toHaveLength(1);

    const status = readStatusFileAsRoot(sb);
    expect(status?.state).toBe('evicted');
    expect(status?.locked).toBe(true);
    // Locked by what the session left or the runner said, not by a record: here the base dir's
    // _sessions is found first; the runner's own session lines are the last witness (unit-tested).
    expect(JSON.stringify(status)).toMatch(/"lockSource":"session traces: /);
    expect(runnerStarts(sb)).toBe(1);
    expect(sb.api.deleteBuilds).toBe(1);
    expect(processesOfUid(sb.runnerUid() as number)).toEqual([]);
    expect(processesOfUid(sb.sessionUid() as number)).toEqual([]);
    expect(fs.readFileSync(path.join(sb.stateDir, 'logs', 'supervisor.log'), 'utf8')).not.toMatch(/restart in/);
  }, 60_000);
});
