import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { loadRunConfig, secretValues } from '../config/config.js';
import { DetachError, ExitCode } from '../shared/errors.js';
import { liveLockHolder } from '../state/instance-lock.js';
import { createFileLogger, createLoggerOrSilence } from '../shared/log.js';
import { lockedOrEvictionDue } from '../state/eviction-due.js';
import { statePaths } from '../state/paths.js';
import { prepareWorkspace } from '../workspace/prepare-workspace.js';
import { handoverMarker, serveSecrets, withoutHandedOver } from '../shared/secret-handover.js';

export interface ChildReport {
  type: 'lock';
  acquired: boolean;
  holderPid?: number;
}

/** How long `start` waits for the detached child to report that it holds the lock. */
const childReportTimeoutMs = 10_000;

/**
 * `start`: validate, prepare, then detach the long-lived supervisor into its own session with
 * all three standard streams on its log file (the Coder agent waits for a script's pipes to
 * close), and return as soon as the child holds the lock.
 */
export async function startCommand(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  bundlePath: string,
  out: (line: string) => void,
): Promise<number> {
  const { config } = loadRunConfig(argv, env);
  const paths = statePaths(config);
  // A lock file that cannot exist (its directory is missing or not a directory) has no holder; the
  // preparation below then reports the directory problem itself.
  const holder = fs.existsSync(paths.stateDir) ? liveLockHolder(paths.lockFile) : undefined;
  if (holder) {
    out(`the supervisor is already running (pid ${holder.pid}); nothing to do`);
    return ExitCode.ok;
  }
  // Checked before anything is written: a locked workspace, or one whose eviction is due, starts
  // no runner, so it needs nothing prepared, and a full disk must not keep it from evicting.
  const due = lockedOrEvictionDue(paths);
  const log = due
    ? createLoggerOrSilence(paths.supervisorLog, secretValues(config))
    : createFileLogger(paths.supervisorLog, secretValues(config));
  if (due) log.info('locked or an eviction is due: nothing is prepared; the supervisor self-evicts');
  else await prepareWorkspace(config, paths, log);
  log.flush();

  let logFd: number | 'ignore' = 'ignore';
  try {
    logFd = fs.openSync(paths.supervisorLog, 'a', 0o600);
  } catch (error) {
    if (!due) throw error;
  }
  const child = spawn(process.execPath, [bundlePath, 'run', ...argv, '--detached'], {
    detached: true,
    stdio: ['ignore', logFd, logFd, 'ipc'],
    // The secrets go over the IPC channel, never into the long-lived process's environment.
    env: { ...withoutHandedOver(env), [handoverMarker]: 'ipc' },
    cwd: paths.stateDir,
  });
  if (typeof logFd === 'number') fs.closeSync(logFd);
  serveSecrets(child, env);
  const report = await new Promise<ChildReport>((resolve, reject) => {
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
