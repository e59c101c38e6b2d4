import fs from 'node:fs';
import { execa } from 'execa';
import { describeError } from '../shared/errors.js';

export interface RunnerExit {
  exitCode: number | undefined;
  signal: string | undefined;
  runtimeMs: number;
  /** Set when the process could not be started at all. */
  spawnError: string | undefined;
}

export interface RunnerHandle {
  pid: number | undefined;
  exited: Promise<RunnerExit>;
  /** One SIGTERM to the runner itself: it drains its sessions. A second would force-exit it. */
  signalDrain(): void;
  /** SIGKILL to the runner's whole process group: the runner and every session under it. */
  killGroup(): void;
  isAlive(): boolean;
}

export interface SpawnRunnerOptions {
  binary: string;
  args: string[];
  env: Record<string, string>;
  outputFile: string;
  cwd: string;
  now: () => number;
}

function signalSafely(target: number, signal: NodeJS.Signals): void {
  try {
    process.kill(target, signal);
  } catch (error) {
    // ESRCH: already gone, which is what we wanted.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/**
 * Starts the runner in its own process group (detached), with its stdout/stderr appended to a
 * file by the runner itself (an fd, not a pipe through us, so a supervisor restart cannot
 * break the runner's output), and an environment without the pool secret and eviction token.
 */
export function spawnRunner(options: SpawnRunnerOptions): RunnerHandle {
  const startedAt = options.now();
  // execa's types take a file descriptor only as a number literal; any open fd works at run time.
  const outputFd = fs.openSync(options.outputFile, 'a', 0o600) as 3;
  let alive = true;
  const subprocess = execa(options.binary, options.args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    detached: true,
    cleanup: false,
    reject: false,
    buffer: false,
    stdin: 'ignore',
    stdout: outputFd,
    stderr: outputFd,
    forceKillAfterDelay: false,
  });
  fs.closeSync(outputFd);
  const pid = subprocess.pid;
  const exited = subprocess.then(
    (result): RunnerExit => {
      alive = false;
      const spawnError = pid === undefined || (result.failed && result.exitCode === undefined && !result.signal);
      return {
        exitCode: result.exitCode,
        signal: result.signal,
        runtimeMs: options.now() - startedAt,
        spawnError: spawnError ? (result.shortMessage ?? 'the runner could not be started') : undefined,
      };
    },
    (error: unknown): RunnerExit => {
      alive = false;
      return {
        exitCode: undefined,
        signal: undefined,
        runtimeMs: options.now() - startedAt,
        spawnError: describeError(error),
      };
    },
  );
  return {
    pid,
    exited,
    isAlive: () => alive,
    signalDrain: () => {
      if (alive && pid !== undefined) signalSafely(pid, 'SIGTERM');
    },
    killGroup: () => {
      if (pid !== undefined) signalSafely(-pid, 'SIGKILL');
    },
  };
}

/**
 * A handle on a runner that an earlier supervisor started and that outlived it (that
 * supervisor was killed outright). It is not our child, so its exit is seen by polling and
 * its exit code is unknown.
 */
export function adoptRunner(pid: number, isAlive: () => boolean, now: () => number, pollMs = 250): RunnerHandle {
  const startedAt = now();
  let alive = true;
  const exited = new Promise<RunnerExit>((resolve) => {
    const timer = setInterval(() => {
      if (isAlive()) return;
      clearInterval(timer);
      alive = false;
      resolve({ exitCode: undefined, signal: undefined, runtimeMs: now() - startedAt, spawnError: undefined });
    }, pollMs);
  });
  return {
    pid,
    exited,
    isAlive: () => alive,
    signalDrain: () => {
      if (alive) signalSafely(pid, 'SIGTERM');
    },
    killGroup: () => signalSafely(-pid, 'SIGKILL'),
  };
}
