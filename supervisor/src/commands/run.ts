import { ExitCode, PrepareError, describeError } from '../shared/errors.js';
import { acquireInstanceLock, releaseInstanceLock } from '../state/instance-lock.js';
import { createFileLogger, createLoggerOrSilence, type Logger } from '../shared/log.js';
import { lockedOrEvictionDue } from '../state/eviction-due.js';
import { statePaths } from '../state/paths.js';
import { Supervisor, systemRuntime } from '../executor/executor.js';
import type { RoleRegistry } from '../roles/registry.js';
import fs from 'node:fs';
import { watchOwnLoop } from '../process/own-watchdog.js';

export interface RunIo {
  out: (line: string) => void;
  /** The bundle's own path: the orchestrator's spawn-runner hook runs it. */
  bundlePath: string;
  /** The roles that this bundle carries. */
  roles: RoleRegistry;
  /** Called once the lock is held (or found held): `start`'s child reports through it. */
  onLock?: (result: { acquired: boolean; holderPid?: number }) => void;
}

/**
 * `run`: the supervisor in the foreground. Also what `start`'s detached child runs: it takes the
 * lock, prepares the workspace, then tells `start` (onLock).
 */
export async function runCommand(argv: readonly string[], env: NodeJS.ProcessEnv, io: RunIo): Promise<number> {
  const role = io.roles.load(argv, env);
  const { config, detached } = role;
  const paths = statePaths(config);
  try {
    fs.mkdirSync(paths.stateDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new PrepareError(`cannot create the state directory ${paths.stateDir}: ${describeError(error)}`, {
      cause: error,
    });
  }
  const lock = acquireInstanceLock(paths.lockFile);
  if (!lock.acquired) {
    io.onLock?.({ acquired: false, holderPid: lock.holder.pid });
    io.out(`the supervisor is already running (pid ${lock.holder.pid}); nothing to do`);
    return ExitCode.ok;
  }
  let log: Logger | undefined;
  try {
    const due = lockedOrEvictionDue(paths);
    log = due
      ? createLoggerOrSilence(paths.supervisorLog, [...role.secrets])
      : createFileLogger(paths.supervisorLog, [...role.secrets]);
    // Prepared under the lock: a launcher that loses the race never touches what the winner's runner uses.
    const isolation = await role.prepare(paths, log, { bundlePath: io.bundlePath, evictionDue: due });
    io.onLock?.({ acquired: true });
    const prepared = { isolation, priorUse: await role.inspect(paths, isolation) };
    const supervisor = new Supervisor(
      config,
      paths,
      log,
      systemRuntime,
      prepared,
      role.create(paths, log, prepared, systemRuntime),
    );
    const onSignal = (signal: NodeJS.Signals): void => supervisor.requestStop(signal);
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    // Detached from any terminal, a hang-up means nothing to us.
    process.on('SIGHUP', () => undefined);
    // Its own loop watched from another thread: a stall kills the runner and hands over (process/stall-watchdog.ts).
    const watchdog = watchOwnLoop({ argv, env, detached, paths, record: isolation });
    const code = await supervisor.run();
    watchdog.stop();
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    return code;
  } finally {
    log?.flush();
    releaseInstanceLock(paths.lockFile);
  }
}
