import path from 'node:path';
import type { Command, CommandIo } from './commands/command-table.js';
import type { RoleRegistry } from './roles/registry.js';
import type { ChildReport } from './commands/start.js';
import { renderHelp } from './config/help.js';
import { sendToParent } from './shared/parent-channel.js';
import { ExitCode, SupervisorError, describeError } from './shared/errors.js';
import { recordStartFailure } from './state/failure-items.js';

export type MainIo = CommandIo;

/** What one bundle carries: its module's roles and its commands (supervisor/src/bundles/). */
export interface Bundle {
  roles: RoleRegistry;
  commands: readonly Command[];
}

async function dispatch(argv: readonly string[], io: MainIo, commands: readonly Command[]): Promise<number> {
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

/** Runs one command of the bundle and maps typed errors to exit codes; never throws. */
export async function main(argv: readonly string[], io: Omit<MainIo, 'roles'>, bundle: Bundle): Promise<number> {
  const withRoles: MainIo = { ...io, roles: bundle.roles };
  try {
    return await dispatch(argv, withRoles, bundle.commands);
  } catch (error) {
    if (error instanceof SupervisorError) {
      io.err(`error: ${error.message}`);
      reportFailure(argv, withRoles, error.message, error.code, error.exitCode);
      return error.exitCode;
    }
    io.err(`error: ${describeError(error)}`);
    reportFailure(argv, withRoles, describeError(error), 'SUP_ERR_RUNTIME', ExitCode.runtime);
    return ExitCode.runtime;
  }
}

export function defaultBundlePath(): string {
  return path.resolve(process.argv[1] ?? '');
}

/** A bundle's entry point: runs the command of its argv and sets the exit code. */
export function runBundle(bundle: Bundle): void {
  void main(
    process.argv.slice(2),
    {
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
      env: process.env,
      bundlePath: defaultBundlePath(),
    },
    bundle,
  ).then((code) => {
    process.exitCode = code;
  });
}
