import type { Logger } from '../shared/log.js';
import { asRoot, killIsolatedProcesses, runAsPrefix, type Isolation } from '../workspace/runner-user.js';
import type { ProcessHandle, SpawnOptions } from './supervised-process.js';

/** Variables that point into the workspace user's home: the runner user gets its own. */
const workspaceUserVariables = [
  'GIT_CONFIG_GLOBAL',
  'XDG_CONFIG_HOME',
  'XDG_STATE_HOME',
  'XDG_DATA_HOME',
  'XDG_CACHE_HOME',
  'XDG_RUNTIME_DIR',
  'CLAUDE_CONFIG_DIR',
  'SSH_AUTH_SOCK',
] as const;

/**
 * The runner's environment as the runner user sees it: the supervisor's (already without the
 * handed-over secrets), the git bot token that its sessions' askpass prints (a session can read
 * it by nature, as in Anthropic's own single-user setup), and, with isolation, the runner user's
 * own HOME, USER and LOGNAME.
 */
export function isolatedRunnerEnvironment(
  base: Record<string, string>,
  isolation: Isolation,
  gitBotToken: string | undefined,
): Record<string, string> {
  const dropped = new Set<string>(isolation.on ? workspaceUserVariables : []);
  const env: Record<string, string> = Object.fromEntries(Object.entries(base).filter(([key]) => !dropped.has(key)));
  if (gitBotToken) env.GIT_BOT_TOKEN = gitBotToken;
  if (!isolation.on) return env;
  env.HOME = isolation.user.home;
  env.USER = isolation.user.name;
  env.LOGNAME = isolation.user.name;
  return env;
}

/**
 * The spawn of the runner, as the runner user when isolation is on: `setpriv … --` (root) or
 * `sudo -n -E -H -u <user> --` in front of the runner's own argv, from `/` (the workspace user
 * may not enter the runner's base dir).
 */
export function runnerSpawnOptions(options: SpawnOptions, isolation: Isolation): SpawnOptions {
  if (!isolation.on) return options;
  const [file, ...prefix] = [...runAsPrefix(isolation.via, isolation.user, true), options.binary];
  return { ...options, binary: file as string, args: [...prefix, ...options.args], cwd: '/' };
}

/**
 * A runner handle whose `killGroup` also kills every process of the runner user: its sessions
 * may have left their process group, and under sudo the group's other members are not ours to
 * signal.
 */
export function isolatedHandle(handle: ProcessHandle, isolation: Isolation, log: Logger): ProcessHandle {
  if (!isolation.on) return handle;
  return {
    ...handle,
    signalDrain: () => {
      try {
        handle.signalDrain();
      } catch (error) {
        log.warn({ err: error }, 'could not signal the runner');
      }
    },
    killGroup: () => {
      try {
        handle.killGroup();
      } catch {
        // EPERM: under sudo the group's leader is sudo (root); the kill below reaches the rest.
      }
      void killIsolatedProcesses(isolation)
        .then(async (report) => {
          if (report.found > 0) log.info({ ...report }, 'killed the processes of the runner user');
          // sudo exits once its command is gone, unless it is stopped itself (it stops when its
          // command is stopped): then only root can end it.
          await new Promise((resolve) => setTimeout(resolve, 500));
          if (isolation.via === 'sudo' && handle.isAlive() && handle.pid !== undefined) {
            const killed = await asRoot('sudo', ['kill', '-KILL', String(handle.pid)]);
            log.info({ pid: handle.pid, exitCode: killed.exitCode }, 'killed the sudo that ran the runner');
          }
        })
        .catch((error: unknown) => log.error({ err: error }, 'could not kill the processes of the runner user'));
    },
  };
}
