import path from 'node:path';
import { runCommand } from './commands/run.js';
import { spawnRunnerCommand } from './commands/spawn-runner.js';
import { startCommand } from './commands/start.js';
import { statusCommand } from './commands/status.js';
import { stopCommand } from './commands/stop.js';
import { renderHelp } from './config/help.js';
import { handoverMarker, receiveSecrets } from './shared/secret-handover.js';
import { ExitCode, SupervisorError, describeError } from './shared/errors.js';
import { recordStartFailure } from './state/failure-items.js';
import type { ChildReport } from './commands/start.js';

export interface MainIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
  /** The bundle's own path: `start` runs it again as the detached supervisor. */
  bundlePath: string;
}

async function dispatch(argv: readonly string[], io: MainIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return startCommand(rest, io.env, io.bundlePath, io.out);
    case 'run': {
      const handedOver = io.env[handoverMarker] === 'ipc';
      const env = handedOver ? await receiveSecrets(io.env) : io.env;
      // The marker is not the runner's business.
      if (handedOver) Reflect.deleteProperty(process.env, handoverMarker);
      return runCommand(rest, env, {
        out: io.out,
        onLock: (result) => {
          // The detached child of `start` reports through its IPC channel, then lets it go.
          if (process.send && process.connected) {
            process.send({ type: 'lock', acquired: result.acquired, holderPid: result.holderPid });
            process.disconnect();
          }
        },
      });
    }
    case 'stop':
      return stopCommand(rest, io.env, io.out);
    case 'status':
      return statusCommand(rest, io.env, io.out);
    case 'spawn-runner':
      return spawnRunnerCommand(rest, { err: io.err, env: io.env, now: Date.now });
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.out(renderHelp());
      return command === undefined ? ExitCode.usage : ExitCode.ok;
    default:
      io.err(`unknown command ${JSON.stringify(command)}; expected start, run, stop, status or spawn-runner`);
      return ExitCode.usage;
  }
}

/**
 * A failure before the supervisor ran: on the dashboard, and (for `start`'s detached child) told
 * to `start`, which exits with it.
 */
function reportFailure(argv: readonly string[], io: MainIo, message: string, code: string, exitCode: ExitCode): void {
  const [command, ...rest] = argv;
  if (command !== 'start' && command !== 'run') return;
  recordStartFailure(rest, io.env, message);
  if (command === 'run' && process.send && process.connected) {
    const report: ChildReport = { type: 'failed', message, exitCode, code };
    process.send(report);
  }
}

/** Runs one command and maps typed errors to exit codes; never throws. */
export async function main(argv: readonly string[], io: MainIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (error instanceof SupervisorError) {
      io.err(`error: ${error.message}`);
      reportFailure(argv, io, error.message, error.code, error.exitCode);
      return error.exitCode;
    }
    io.err(`error: ${describeError(error)}`);
    reportFailure(argv, io, describeError(error), 'SUP_ERR_RUNTIME', ExitCode.runtime);
    return ExitCode.runtime;
  }
}

export function defaultBundlePath(): string {
  return path.resolve(process.argv[1] ?? '');
}
