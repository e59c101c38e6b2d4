import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runnerItems as dashboardItems } from '../../../../supervisor/src/roles/runner/runner-items.js';
import type { SupervisorStatus } from '../../../../supervisor/src/state/status.js';
import { hostAllowance, isolationLabel } from '../../../../supervisor/src/workspace/runner-user.js';
import {
  renderSessionEntry,
  renderSudoersRule,
  sessionUserName,
} from '../../../../supervisor/src/workspace/session-user.js';

const runner = { name: 'claude-runner', uid: 2001, gid: 2001, home: '/home/claude-runner' };
const session = { name: 'claude-runner-session', uid: 2002, gid: 2002, home: '/home/claude-runner-session' };

describe('the session user', () => {
  it('is named after the runner user, within useradd’s 32 characters', () => {
    expect(sessionUserName('claude-runner')).toBe('claude-runner-session');
    const long = sessionUserName('a'.repeat(32));
    expect(long).toHaveLength(32);
    expect(long.endsWith('-session')).toBe(true);
  });

  it('is switched to by one sudo rule: the entry only, with the environment and fd 3, no pty', () => {
    expect(renderSudoersRule('claude-runner', session.name, '/var/lib/x/session-entry.sh').split('\n')).toEqual(
      expect.arrayContaining([
        'Defaults:claude-runner !use_pty, closefrom_override, !lecture',
        'claude-runner ALL=(claude-runner-session) NOPASSWD:SETENV: /var/lib/x/session-entry.sh',
      ]),
    );
  });

  it('the entry gives the session its own home and the runner’s PATH, then execs claude with the mode last', () => {
    const entry = renderSessionEntry({
      claudeBinary: "/opt/it's/claude",
      permissionMode: 'bypassPermissions',
      session,
    });
    expect(entry).toMatch(/^umask 007$/m);
    expect(entry).toMatch(/^HOME='\/home\/claude-runner-session' USER='claude-runner-session'/m);
    expect(entry.trim().split('\n').at(-1)).toBe(
      `exec '/opt/it'\\''s/claude' "$@" --permission-mode 'bypassPermissions'`,
    );
  });
});

describe('what the host allows, in status and on the dashboard', () => {
  it('reads Yama, or its absence', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csr-yama-'));
    try {
      const file = path.join(dir, 'ptrace_scope');
      expect(hostAllowance(false, file)).toBe('same-user ptrace (no Yama), docker off');
      fs.writeFileSync(file, '1\n');
      expect(hostAllowance(true, file)).toBe('ptrace limited (Yama 1), docker on');
      fs.writeFileSync(file, '0\n');
      expect(hostAllowance(false, file)).toBe('same-user ptrace (Yama 0), docker off');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says the session user and the host in the label, and the host on the state item', () => {
    const label = isolationLabel({
      on: true,
      via: 'sudo',
      user: runner,
      created: true,
      session,
      host: 'same-user ptrace (no Yama), docker off',
    });
    expect(label).toBe(
      'isolation: on (claude-runner, sessions as claude-runner-session, via sudo; host: same-user ptrace (no Yama), docker off)',
    );
    const status = { state: 'running', reason: 'serving', restarts: 0, locked: false, isolation: label };
    expect(dashboardItems(status as unknown as SupervisorStatus)['4_supervisor_state']).toBe(
      'running: serving (isolation on; same-user ptrace (no Yama), docker off)',
    );
    expect(isolationLabel({ on: true, via: 'root', user: runner, created: false, sessionsAsRunner: 'no sudo' })).toBe(
      'isolation: on (claude-runner, sessions as the runner user: no sudo, via root)',
    );
  });
});
