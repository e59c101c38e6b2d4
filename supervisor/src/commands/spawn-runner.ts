import { escapeControls } from '../shared/escape-controls.js';
import { parseArgs } from 'node:util';
import type { Command } from './command-table.js';
import { createRunnerWorkspace } from '../spawn/create-runner-workspace.js';
import { readSpawnConfig } from '../spawn/spawn-config.js';
import { readSpawnRequest, SpawnRequestError } from '../spawn/work-order.js';
import { userMessages } from '../spawn/hook-outcome.js';
import { UsageError } from '../shared/errors.js';

export interface SpawnIo {
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
  now: () => number;
}

/**
 * `spawn-runner --config <file>`: the orchestrator's spawn-runner hook. Turns one spawn request
 * into one Coder workspace and exits by the hook contract (0 done, 1 retryable, 2 not). Its lines
 * go to stderr, which the orchestrator logs and forwards on a nack: each names the order by its
 * id, never the order, the account or its email.
 */
export async function spawnRunnerCommand(argv: readonly string[], io: SpawnIo): Promise<number> {
  let configFile: string | undefined;
  try {
    configFile = parseArgs({ args: [...argv], options: { config: { type: 'string' } }, strict: true }).values.config;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; usage: spawn-runner --config <file>`);
  }
  if (!configFile) throw new UsageError('spawn-runner needs --config <file> (the orchestrator writes it)');
  const config = readSpawnConfig(configFile);
  // The request's values (order and session ids) are the orchestrator's environment, and Coder's
  // words are Coder's: no control character (a newline that forges a `user-message:` line, an
  // ANSI sequence) passes.
  const say = (line: string): void => io.err(`spawn-runner: ${escapeControls(line)}`);
  let request;
  try {
    request = readSpawnRequest(io.env);
  } catch (error) {
    if (!(error instanceof SpawnRequestError)) throw error;
    say(error.message);
    io.err(`user-message: ${userMessages.order}`);
    return 2;
  }
  const kind = request.sessionId ? `session ${request.sessionId}` : 'standby';
  const outcome = await createRunnerWorkspace(config, request, { now: io.now });
  say(`order ${request.orderId} (${kind}, attempt ${request.attempt ?? '?'}): ${outcome.detail}`);
  if (outcome.exit >= 2 && outcome.userMessage) io.err(`user-message: ${escapeControls(outcome.userMessage)}`);
  return outcome.exit;
}

/** The command as the orchestrator's bundle carries it (supervisor/src/bundles/orchestrator.ts). */
export const spawnRunnerEntry: Command = {
  name: 'spawn-runner',
  summary: "the orchestrator's hook: one spawn request, one Coder workspace (--config <file>)",
  run: (argv, io) => spawnRunnerCommand(argv, { err: io.err, env: io.env, now: Date.now }),
};
