import path from 'node:path';
import { commands, type CommandIo } from './commands/command-table.js';
import type { ChildReport } from './commands/start.js';
import { renderHelp } from './config/help.js';
import { sendToParent } from './shared/parent-channel.js';
import { ExitCode, SupervisorError, describeError } from './shared/errors.js';
import { recordStartFailure } from './state/failure-items.js';

export type MainIo = CommandIo;

async function dispatch(argv: readonly string[], io: MainIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.out(renderHelp(commands));
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (command) return command.run(rest, io);
  io.err(`unknown command ${JSON.stringify(name)}; expected one of ${commands.map((c) => c.name).join(', ')}`);
  return ExitCode.usage;
}

/**
 * A failure before the supervisor ran: on the dashboard, and (for `start`'s detached child) told
 * to `start`, which exits with it.
 */
function reportFailure(argv: readonly string[], io: MainIo, message: string, code: string, exitCode: ExitCode): void {
  const [command, ...rest] = argv;
  if (command !== 'start' && command !== 'run') return;
  recordStartFailure(rest, io.env, message);
  if (command === 'run') {
    const report: ChildReport = { type: 'failed', message, exitCode, code };
    void sendToParent(report);
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
