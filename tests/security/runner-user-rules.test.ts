import fs from 'node:fs';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readItem } from '../helpers/sandbox.js';
import {
  isLive,
  makeIsolatedSandbox,
  runnerStarts,
  uidOf,
  workspaceUser,
  type IsolatedSandbox,
} from '../helpers/isolation-sandbox.js';

/**
 * A runner user that is not dedicated to the runner breaks isolation: a passwordless sudoer
 * gives every session uid 0, and a user with processes of its own has them SIGKILLed as
 * "session leftovers" (and the workspace self-evicts at its first start, churning a pool). Only
 * a user that the module created (its marker), with no sudo rights and a uid outside the system
 * range, is taken; anything else is a configuration error (exit 78) that says why, before any
 * process is touched.
 */
const suffix = Math.random().toString(36).slice(2, 7);
const sudoer = `csr-sudoer-${suffix}`;
const service = `csr-svc-${suffix}`;
let sb: IsolatedSandbox;
let serviceProcess: ResultPromise | undefined;

async function addUser(name: string): Promise<void> {
  await execa('useradd', ['--create-home', '--user-group', '--shell', '/bin/sh', name]);
}

beforeAll(async () => {
  sb = await makeIsolatedSandbox({ scenarios: 'idle' });
  await addUser(sudoer);
  fs.writeFileSync(`/etc/sudoers.d/${sudoer}`, `${sudoer} ALL=(ALL) NOPASSWD:ALL\n`, { mode: 0o440 });
  await addUser(service);
  const uid = uidOf(service) as number;
  serviceProcess = execa('setpriv', [`--reuid=${uid}`, `--regid=${uid}`, '--init-groups', '--', 'sleep', '300'], {
    reject: false,
  });
}, 60_000);

afterAll(async () => {
  serviceProcess?.kill('SIGKILL');
  await serviceProcess;
  fs.rmSync(`/etc/sudoers.d/${sudoer}`, { force: true });
  for (const name of [sudoer, service]) await execa('userdel', ['-r', '-f', name], { reject: false });
  await sb.dispose();
});

async function startAs(runnerUser: string): Promise<{ exitCode?: number; stdout: string; stderr: string }> {
  // A repeated flag: the last one wins.
  return sb.asWorkspaceUser(['start', ...sb.flags, '--runner-user', runnerUser]);
}

describe('runner_user values that are not a dedicated user', () => {
  const cases: [string, () => string, RegExp][] = [
    ['an existing passwordless sudoer', () => sudoer, /not created by this module|sudo/],
    ['an existing service user with a process', () => service, /not created by this module|process/],
    ['root', () => 'root', /root/],
    ['the workspace user', () => workspaceUser, /workspace user/],
    ['nobody', () => 'nobody', /nobody|system/],
  ];
  for (const [what, name, reason] of cases) {
    it(`${what}: exit 78 with the reason, on the dashboard too; no runner, nothing killed`, async () => {
      const result = await startAs(name());
      expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(78);
      expect(result.stderr).toMatch(/--runner-user/);
      expect(result.stderr).toMatch(reason);
      expect(readItem(sb, '4_supervisor_state')).toMatch(/--runner-user/);
      expect(runnerStarts(sb)).toBe(0);
      expect(isLive(serviceProcess?.pid as number)).toBe(true);
    }, 60_000);
  }

  it('a user the module created that was given sudo rights later: exit 78 at the next start', async () => {
    const first = await sb.asWorkspaceUser(['start', ...sb.flags]);
    expect(first.exitCode, first.stderr).toBe(0);
    const stop = await sb.asWorkspaceUser(['stop', '--drain-timeout-sec', '100']);
    expect(stop.exitCode, stop.stderr).toBe(0);
    const grant = `/etc/sudoers.d/${sb.runnerUser}`;
    fs.writeFileSync(grant, `${sb.runnerUser} ALL=(ALL) NOPASSWD:ALL\n`, { mode: 0o440 });
    try {
      const again = await sb.asWorkspaceUser(['start', ...sb.flags]);
      expect(again.exitCode, again.stderr).toBe(78);
      expect(again.stderr).toMatch(/sudo/);
    } finally {
      fs.rmSync(grant, { force: true });
    }
  }, 90_000);
});
