import { spawn, type ChildProcess } from 'node:child_process';
import type { Privilege } from './runner-user.js';
import { findTool } from './system-tools.js';

/**
 * What kills the processes of the runner user and the session user without starting a process
 * at that moment (issue 28): where the workspace has a pids limit, a session that fills it would
 * leave no room for the `kill -9 -1` run as each user, and its processes would outlive the
 * supervisor. As root, the supervisor signals them itself. With sudo, one root shell is started
 * at prepare time and kept: it reads pids on stdin and SIGKILLs them with the shell's own `kill`,
 * `read` and `echo` (builtins: no fork). It ends when the supervisor does (its stdin closes).
 * Where it is gone, the caller falls back to the commands (workspace/runner-user.ts).
 */
const loop = 'while read -r pids; do kill -9 $pids 2>/dev/null; echo k; done';

let kept: { via: Privilege; child: ChildProcess | undefined } | undefined;

/** Starts the kept killer once per process (a no-op as root, and when it already runs). */
export function keepKillerReady(via: Privilege): void {
  if (kept && (kept.via === 'root' || (kept.child && kept.child.exitCode === null && !kept.child.killed))) return;
  if (via === 'root') {
    kept = { via, child: undefined };
    return;
  }
  const sudo = findTool('sudo');
  if (!sudo) return;
  const child = spawn(sudo, ['-n', '--', '/bin/sh', '-c', loop], { stdio: ['pipe', 'pipe', 'ignore'] });
  child.on('error', () => undefined);
  child.stdin?.on('error', () => undefined);
  // Never what keeps the supervisor alive.
  child.unref();
  (child.stdout as { unref?: () => void } | null)?.unref?.();
  (child.stdin as { unref?: () => void } | null)?.unref?.();
  kept = { via, child };
}

/** SIGKILLs these pids without a new process; false when the kept killer cannot (then fall back). */
export function killWithoutFork(via: Privilege, pids: readonly number[], timeoutMs = 2000): Promise<boolean> {
  if (pids.length === 0) return Promise.resolve(true);
  if (via === 'root' && process.getuid?.() === 0) {
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone meanwhile.
      }
    }
    return Promise.resolve(true);
  }
  const child = kept?.via === via ? kept.child : undefined;
  const { stdin, stdout } = child ?? {};
  if (!child || !stdin || !stdout || child.exitCode !== null || !stdin.writable) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      stdout.off('data', onData);
      resolve(ok);
    };
    const onData = (chunk: Buffer): void => {
      if (chunk.toString().includes('k')) done(true);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    stdout.on('data', onData);
    stdin.write(`${pids.join(' ')}\n`, (error) => {
      if (error) done(false);
    });
  });
}
