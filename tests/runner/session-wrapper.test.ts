// (g) The session wrapper that the supervisor writes, pointed at the real claude: it records the
// lock, execs the real binary, and our --permission-mode (last on the line) is the one that counts.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PermissionMode } from '../../supervisor/src/config/inputs.js';
import { renderSessionWrapper } from '../../supervisor/src/workspace/session-wrapper.js';
import { pinnedClaudeCodeVersion, realClaudeBinary } from '../helpers/network-guard.js';
import { LoopbackNamespace } from '../helpers/real-runner.js';

const rootRefusal = '--dangerously-skip-permissions cannot be used with root/sudo privileges for security reasons\n';

describe('the session wrapper with the real claude', () => {
  let ns: LoopbackNamespace;
  beforeAll(async () => {
    ns = await LoopbackNamespace.create();
  });
  afterAll(() => ns?.close());

  function wrapper(mode: PermissionMode, name: string) {
    const dir = path.join(ns.dir, `with spaces 'and quotes' ${name}`);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'claude-session');
    const lockedFlag = path.join(dir, 'locked');
    const sessionsFile = path.join(dir, 'sessions');
    fs.writeFileSync(
      file,
      renderSessionWrapper({ claudeBinary: realClaudeBinary(), permissionMode: mode, lockedFlag, sessionsFile }),
      { mode: 0o755 },
    );
    return { file, lockedFlag, sessionsFile };
  }

  it('execs the real claude (its --version answers); a call that is not a session records no lock', async () => {
    const w = wrapper('bypassPermissions', 'version');
    const result = await ns.runClaude(['--version'], { binary: w.file, timeoutMs: 60_000 });
    expect(result.exitCode).toBe(0);
    expect(String(result.stdout)).toBe(`${pinnedClaudeCodeVersion} (Claude Code)\n`);
    expect(fs.existsSync(w.lockedFlag)).toBe(false);
    expect(fs.existsSync(w.sessionsFile)).toBe(false);
  });

  it('records the lock first when the runner starts a session (its per-session variables are set)', async () => {
    const w = wrapper('bypassPermissions', 'session');
    const result = await ns.runClaude(['--version'], {
      binary: w.file,
      timeoutMs: 60_000,
      env: {
        CLAUDE_CODE_REMOTE_SESSION_ID: 'cse_test',
        CLAUDE_RUNNER_SESSION_UUID: '00000000-0000-4000-8000-000000000001',
      },
    });
    expect(result.exitCode).toBe(0);
    expect(fs.readFileSync(w.lockedFlag, 'utf8')).toMatch(/^\d+ cse_test\n$/);
    expect(fs.readFileSync(w.sessionsFile, 'utf8')).toMatch(/^\d+ cse_test\n$/);
  });

  // The namespace runs as root (or as root of a user namespace), as a workspace's agent often does.
  it('as root, bypassPermissions reaches the real claude, which refuses it (exit 1)', async () => {
    const w = wrapper('bypassPermissions', 'bypass');
    // The runner's own flags come first; ours is last and wins.
    const result = await ns.runClaude(['-p', 'hi', '--permission-mode', 'default'], {
      binary: w.file,
      timeoutMs: 60_000,
    });
    expect(result.exitCode).toBe(1);
    expect(String(result.stdout)).toBe('');
    expect(String(result.stderr)).toBe(rootRefusal);
  });

  it('a mode that the runner passes earlier on the line is overridden by ours', async () => {
    const w = wrapper('default', 'default');
    const result = await ns.runClaude(['-p', 'hi', '--permission-mode', 'bypassPermissions'], {
      binary: w.file,
      timeoutMs: 60_000,
    });
    // Not the root refusal: claude got `default` and stopped at the missing login instead.
    expect(String(result.stderr)).not.toContain('cannot be used with root');
    expect(result.exitCode).toBe(1);
    expect(String(result.stdout)).toBe('Not logged in · Please run /login\n');
  });
});
