import { stateItemKey } from '../state/items.js';
import path from 'node:path';
import type { StatePaths } from '../state/paths.js';
import { handedOverValues, handoverMarker } from '../shared/secret-handover.js';
import { supervisorNodeFlags } from '../shared/supervisor-node-flags.js';
import type { IsolationRecord } from '../workspace/isolation.js';
import { isolatedUsers, runAsPrefix } from '../workspace/runner-user.js';
import { findTool } from '../workspace/system-tools.js';
import { startStallWatchdog, type StallWatchdog } from './stall-watchdog.js';

/** Nothing the supervisor does blocks its loop this long; past it, the watchdog acts. */
export const ownStallMs = 30_000;

/**
 * The stall watchdog of this supervisor (process/stall-watchdog.ts), with what it needs to kill
 * the runner user's processes and, for `start`'s detached supervisor, to start a fresh one with
 * the same argv and the secrets it holds in memory.
 */
export function watchOwnLoop(options: {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  detached: boolean;
  paths: StatePaths;
  record: IsolationRecord;
}): StallWatchdog {
  const { paths, record } = options;
  const { isolation } = record;
  const killAll = ['/bin/sh', '-c', 'kill -9 -1 2>/dev/null; exit 0'];
  const killCommands = isolation.on
    ? [0, 1, 2].flatMap(() =>
        isolatedUsers(isolation).map((user) => [...runAsPrefix(isolation.via, user, false), ...killAll]),
      )
    : [];
  const sudo = findTool('sudo') ?? 'sudo';
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  return startStallWatchdog({
    stallMs: ownStallMs,
    logFile: paths.supervisorLog,
    stateItem: path.join(paths.itemsDir, stateItemKey),
    statusFile: paths.statusFile,
    lockFile: paths.lockFile,
    drainMarker: record.paths.drainMarker,
    killCommands,
    rootKill: isolation.on && isolation.via === 'sudo' ? [sudo, '-n', findTool('kill') ?? 'kill', '-KILL'] : undefined,
    relaunch: options.detached
      ? {
          execPath: process.execPath,
          args: [...supervisorNodeFlags, process.argv[1] ?? '', 'run', ...options.argv],
          // As `start` hands them over: the environment without the secrets, they go on the IPC channel.
          env: { ...env, [handoverMarker]: 'ipc' },
          cwd: paths.stateDir,
          secrets: handedOverValues(options.env),
        }
      : undefined,
  });
}
