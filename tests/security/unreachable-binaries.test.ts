import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readItem, waitFor } from '../helpers/sandbox.js';
import {
  makeIsolatedSandbox,
  readStatusFileAsRoot,
  runnerStarts,
  type IsolatedSandbox,
} from '../helpers/isolation-sandbox.js';

/**
 * The runner and claude binaries, and the base dir, behind a folder that the workspace user can
 * enter and the runner user cannot (0700): every check as the workspace user passes, and the
 * runner would fail at every start. A preflight as the runner user quarantines at once and names
 * each path and the user, instead of a crash loop that says "check the runner log".
 */
let sb: IsolatedSandbox;
let hidden: string;

beforeAll(async () => {
  sb = await makeIsolatedSandbox({ scenarios: 'idle' });
  hidden = path.join(sb.dir, 'private');
  fs.mkdirSync(hidden, { mode: 0o700 });
  for (const name of ['runner', 'claude']) {
    fs.copyFileSync(name === 'runner' ? sb.runnerBinary : sb.claudeBinary, path.join(hidden, name));
    fs.chmodSync(path.join(hidden, name), 0o755);
  }
  await execa('chown', ['-R', `${sb.wsUser}:${sb.wsUser}`, hidden]);
  fs.chmodSync(hidden, 0o700);
}, 60_000);

afterAll(async () => {
  await sb.dispose();
});

describe('binaries and a base dir that the runner user cannot reach', () => {
  it('quarantine at once, naming each path and the runner user; the runner never starts', async () => {
    const started = await sb.asWorkspaceUser([
      'start',
      ...sb.flags,
      '--runner-binary',
      path.join(hidden, 'runner'),
      '--claude-binary',
      path.join(hidden, 'claude'),
      '--base-dir',
      path.join(hidden, 'base'),
    ]);
    expect(started.exitCode, started.stderr).toBe(0);
    await waitFor('quarantine', () => readStatusFileAsRoot(sb)?.state === 'quarantined', 30_000);
    const status = readStatusFileAsRoot(sb);
    expect(runnerStarts(sb)).toBe(0);
    expect(status?.restarts).toBe(0);
    for (const what of [path.join(hidden, 'runner'), path.join(hidden, 'claude'), path.join(hidden, 'base')]) {
      expect(status?.reason).toContain(what);
    }
    expect(status?.reason).toContain(sb.runnerUser);
    expect(status?.reason).toContain(`${hidden} `);
    expect(readItem(sb, '4_supervisor_state')).toContain(sb.runnerUser);
    const stop = await sb.asWorkspaceUser(['stop', '--drain-timeout-sec', '100']);
    expect(stop.exitCode, stop.stderr).toBe(0);
    expect(sb.api.deleteBuilds).toBe(0);
  }, 90_000);
});
