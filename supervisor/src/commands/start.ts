import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { RoleRegistry } from '../roles/registry.js';
import {
  DetachError,
  ExitCode,
  ReportedError,
  describeError,
  PrepareError,
  type ExitCode as Code,
} from '../shared/errors.js';
import { liveLockHolder } from '../state/instance-lock.js';
import { replaceWaitingSupervisor } from './replace-waiting.js';
import { lockedOrEvictionDue } from '../state/eviction-due.js';
import { statePaths } from '../state/paths.js';
import { handoverMarker, serveSecrets, withoutHandedOver } from '../shared/secret-handover.js';
import { supervisorNodeFlags } from '../shared/supervisor-node-flags.js';

/** What the detached child tells `start` on its IPC channel. */
export type ChildReport =
  /** It holds the lock and prepared the workspace (or found the lock held: nothing to do). */
  | { type: 'lock'; acquired: boolean; holderPid?: number }
  /** It failed before the supervisor ran (the preparation, a runner user that is refused, ...). */
  | { type: 'failed'; message: string; exitCode: Code; code: string };

/**
 * How long `start` waits for the detached child: it takes the lock, then prepares the workspace
 * (the runner user, its files, the secret file, the base dir), which takes a few seconds with
 * sudo.
 */
const childReportTimeoutMs = 60_000;

async function ensureDir(dir: string): Promise<void> {
  try {
    await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new PrepareError(`cannot create the directory ${dir}: ${describeError(error)}`, { cause: error });
  }
}

/**
 * `start`: validate, then detach the long-lived supervisor into its own session with all three
 * standard streams on its log file (the Coder agent waits for a script's pipes to close), and
 * return once the child holds the single-instance lock and has prepared the workspace under it:
 * launchers started at once never prepare while the winner's runner starts. A failure of the
 * preparation is the child's to report, and `start` exits with it.
 */
export async function startCommand(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  bundlePath: string,
  out: (line: string) => void,
  roles: RoleRegistry,
): Promise<number> {
  const role = roles.load(argv, env);
  const paths = statePaths(role.config);
  // A lock file that cannot exist (its directory is missing or not a directory) has no holder; the
  // preparation below then reports the directory problem itself.
  const holder = fs.existsSync(paths.stateDir) ? liveLockHolder(paths.lockFile) : undefined;
  if (holder && role.replacesWaiting && (await replaceWaitingSupervisor(paths, holder))) {
    out(`the supervisor that waited for a work order (pid ${holder.pid}) stopped; starting with the order`);
  } else if (holder) {
    out(`the supervisor is already running (pid ${holder.pid}); nothing to do`);
    return ExitCode.ok;
  }
  // A locked workspace, or one whose eviction is due, needs nothing prepared, and a full disk must
  // not keep it from evicting: it goes on without its log.
  const due = lockedOrEvictionDue(paths);
  if (!due) {
    await ensureDir(paths.stateDir);
    await ensureDir(paths.logDir);
  }
  let logFd: number | 'ignore' = 'ignore';
  try {
    logFd = fs.openSync(paths.supervisorLog, 'a', 0o600);
  } catch (error) {
    if (!due) throw error;
  }
  const child = spawn(process.execPath, [...supervisorNodeFlags, bundlePath, 'run', ...argv, '--detached'], {
    detached: true,
    stdio: ['ignore', logFd, logFd, 'ipc'],
    // The secrets go over the IPC channel, never into the long-lived process's environment.
    env: { ...withoutHandedOver(env), [handoverMarker]: 'ipc' },
    cwd: paths.stateDir,
  });
  if (typeof logFd === 'number') fs.closeSync(logFd);
  serveSecrets(child, env);
  const report = await new Promise<Extract<ChildReport, { type: 'lock' }>>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new DetachError(
            `the detached supervisor did not report within ${childReportTimeoutMs / 1000} s; see ${paths.supervisorLog}`,
          ),
        ),
      childReportTimeoutMs,
    );
    child.on('message', (message: ChildReport) => {
      if (message?.type === 'failed') {
        clearTimeout(timer);
        reject(new ReportedError(message.code, message.exitCode, message.message));
        return;
      }
      if (message?.type !== 'lock') return;
      clearTimeout(timer);
      resolve(message);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new DetachError(
          `the detached supervisor exited with code ${code ?? 'unknown'} before it started; see ${paths.supervisorLog}`,
        ),
      );
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new DetachError(`could not start the detached supervisor: ${error.message}`, { cause: error }));
    });
  });
  child.removeAllListeners();
  if (child.connected) child.disconnect();
  child.unref();
  if (report.acquired) {
    out(`supervisor started (pid ${child.pid ?? '?'}); log: ${paths.supervisorLog}`);
  } else {
    out(`the supervisor is already running (pid ${report.holderPid ?? '?'}); nothing to do`);
  }
  return ExitCode.ok;
}
