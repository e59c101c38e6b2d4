import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { renderSessionWrapper } from '../../../../supervisor/src/workspace/session-wrapper.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function wrapperIn(dirName: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wrap-'));
  dirs.push(dir);
  const claudeDir = path.join(dir, dirName);
  fs.mkdirSync(claudeDir);
  const claude = path.join(claudeDir, 'claude');
  fs.writeFileSync(
    claude,
    `#!/bin/sh\nfor a in "$@"; do printf '[%s]' "$a"; done\nread line; printf ' stdin=%s' "$line"\nprintf 'x' >&3 && printf ' fd3'\n`,
    { mode: 0o755 },
  );
  const wrapper = path.join(dir, 'wrapper.sh');
  const lockedFlag = path.join(dir, 'locked');
  const sessionsFile = path.join(dir, 'sessions');
  fs.writeFileSync(
    wrapper,
    renderSessionWrapper({ claudeBinary: claude, permissionMode: 'bypassPermissions', lockedFlag, sessionsFile }),
    { mode: 0o700 },
  );
  return { wrapper, lockedFlag, sessionsFile };
}

/** What the runner (2.1.330) sets for every session process it starts through --exec-path. */
const sessionEnv = {
  CLAUDE_CODE_REMOTE_SESSION_ID: 'cse_0123',
  CLAUDE_RUNNER_SESSION_UUID: '00000000-0000-4000-8000-000000000001',
};

describe('session wrapper', () => {
  it.each(['plain', 'with spaces', `it's "quoted" $HOME`])(
    'execs claude in %s with stdin, fd 3 and a last-wins permission mode',
    async (dirName) => {
      const { wrapper, lockedFlag, sessionsFile } = await wrapperIn(dirName);
      const run = execa(wrapper, ['--session-id', 's 1', '--permission-mode', 'default'], {
        input: 'hello\n',
        stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
        env: sessionEnv,
      });
      const result = await run;
      expect(result.stdout).toBe(
        '[--session-id][s 1][--permission-mode][default][--permission-mode][bypassPermissions] stdin=hello fd3',
      );
      // The record names the session that locked the workspace: the runner's session id.
      expect(fs.readFileSync(lockedFlag, 'utf8')).toMatch(/^\d+ cse_0123\n$/);
      expect(fs.readFileSync(sessionsFile, 'utf8')).toMatch(/^\d+ cse_0123\n$/);
    },
  );

  it('still starts the session when the lock cannot be recorded', async () => {
    const { wrapper, lockedFlag } = await wrapperIn('x');
    fs.mkdirSync(`${lockedFlag}.tmp.0`, { recursive: true });
    fs.rmSync(path.dirname(lockedFlag) + '/sessions', { force: true });
    fs.mkdirSync(path.dirname(lockedFlag) + '/sessions');
    const result = await execa(wrapper, [], {
      input: 'x\n',
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      env: sessionEnv,
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('[--permission-mode][bypassPermissions]');
  });

  it('records the session UUID when the runner set only that', async () => {
    const { wrapper, lockedFlag } = await wrapperIn('plain');
    await execa(wrapper, [], {
      input: 'x\n',
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      env: { CLAUDE_CODE_REMOTE_SESSION_ID: '', CLAUDE_RUNNER_SESSION_UUID: sessionEnv.CLAUDE_RUNNER_SESSION_UUID },
    });
    expect(fs.readFileSync(lockedFlag, 'utf8')).toMatch(/^\d+ 00000000-0000-4000-8000-000000000001\n$/);
  });

  it.each([['--version'], ['--help'], []])('records no lock for a call that is not a session (%j)', async (...args) => {
    const { wrapper, lockedFlag, sessionsFile } = await wrapperIn('plain');
    const result = await execa(wrapper, args, {
      input: 'x\n',
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      env: { CLAUDE_CODE_REMOTE_SESSION_ID: '', CLAUDE_RUNNER_SESSION_UUID: '' },
    });
    expect(result.exitCode).toBe(0);
    expect(fs.existsSync(lockedFlag)).toBe(false);
    expect(fs.existsSync(sessionsFile)).toBe(false);
  });
});
