import type { RoleRegistry } from '../roles/registry.js';
import { guardParentChannel, releaseParentChannel, sendToParent } from '../shared/parent-channel.js';
import { handoverMarker, receiveSecrets } from '../shared/secret-handover.js';
import { runCommand } from './run.js';
import { startCommand } from './start.js';
import { statusCommand } from './status.js';
import { stopCommand } from './stop.js';

export interface CommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
  /** The bundle's own path: `start` runs it again as the detached supervisor. */
  bundlePath: string;
  /** The roles that this bundle carries (roles/registry.ts). */
  roles: RoleRegistry;
}

export interface Command {
  name: string;
  /** One line for `--help`. */
  summary: string;
  run(argv: readonly string[], io: CommandIo): Promise<number>;
}

/** The commands of every bundle, in the order `--help` lists them: main.ts dispatches from its bundle's table. */
export const supervisorCommands: readonly Command[] = [
  {
    name: 'start',
    summary: 'validate, detach the supervisor (it prepares the workspace under its lock) and return',
    run: (argv, io) => startCommand(argv, io.env, io.bundlePath, io.out, io.roles),
  },
  {
    name: 'run',
    summary: 'the same in the foreground',
    async run(argv, io) {
      const handedOver = io.env[handoverMarker] === 'ipc';
      // Its parent (start, or a stalled supervisor's watchdog) may die at any moment.
      guardParentChannel();
      const env = handedOver ? await receiveSecrets(io.env) : io.env;
      // The marker is not the runner's business.
      if (handedOver) Reflect.deleteProperty(process.env, handoverMarker);
      return runCommand(argv, env, {
        out: io.out,
        bundlePath: io.bundlePath,
        roles: io.roles,
        onLock: (result) => {
          // The detached child of `start` reports through its IPC channel, then lets it go.
          void sendToParent({ type: 'lock', acquired: result.acquired, holderPid: result.holderPid }).then(
            releaseParentChannel,
          );
        },
      });
    },
  },
  {
    name: 'stop',
    summary: 'drain the supervised program gracefully (never self-evicts)',
    run: (argv, io) => stopCommand(argv, io.env, io.out),
  },
  {
    name: 'status',
    summary: "print the supervisor's state as JSON",
    run: async (argv, io) => statusCommand(argv, io.env, io.out),
  },
];
