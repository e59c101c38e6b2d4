import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/sandbox.js';
import {
  makeIsolatedSandbox,
  readStatusFileAsRoot,
  runnerStarts,
  uidOf,
  type IsolatedSandbox,
} from '../helpers/isolation-sandbox.js';

/**
 * Sessions exec claude as the session user (issue 28), so a claude binary that the runner user
 * can run and the session user cannot would fail every session. The preflight tries it as the
 * session user too: quarantine at once, naming the path and the session user.
 */
let sb: IsolatedSandbox;
let guarded: string;

beforeAll(async () => {
  sb = await makeIsolatedSandbox({ scenarios: 'idle' });
}, 60_000);

afterAll(async () => {
  await sb.dispose();
});

describe('a claude binary that the runner user can run and the session user cannot', () => {
  it('quarantines at once, naming the path and the session user; no runner starts', async () => {
    // A first start makes both users; a stop leaves the workspace unused.
    const first = await sb.asWorkspaceUser(['start', ...sb.flags]);
    expect(first.exitCode, first.stderr).toBe(0);
    await waitFor('the runner', () => readStatusFileAsRoot(sb)?.state === 'running', 30_000);
    const stop = await sb.asWorkspaceUser(['stop', '--drain-timeout-sec', '100']);
    expect(stop.exitCode, stop.stderr).toBe(0);
    const starts = runnerStarts(sb);

    // The folder is the runner user's group's only: the session user cannot enter it.
    guarded = path.join(sb.dir, 'runner-only');
    fs.mkdirSync(guarded);
    fs.copyFileSync(sb.claudeBinary, path.join(guarded, 'claude'));
    fs.chmodSync(path.join(guarded, 'claude'), 0o755);
    fs.chownSync(guarded, 0, uidOf(sb.runnerUser) as number);
    fs.chmodSync(guarded, 0o750);

    const second = await sb.asWorkspaceUser(['start', ...sb.flags, '--claude-binary', path.join(guarded, 'claude')]);
    expect(second.exitCode, second.stderr).toBe(0);
    await waitFor('quarantine', () => readStatusFileAsRoot(sb)?.state === 'quarantined', 30_000);
    const status = readStatusFileAsRoot(sb);
    expect(status?.reason).toContain(path.join(guarded, 'claude'));
    expect(status?.reason).toContain(`${sb.runnerUser}-session`);
    expect(runnerStarts(sb)).toBe(starts);
    expect(sb.api.deleteBuilds).toBe(0);
  }, 90_000);
});
