import { loadStateConfig } from '../config.js';
import { ExitCode } from '../errors.js';
import { liveLockHolder, readLockHolder } from '../instance-lock.js';
import { statePaths } from '../paths.js';
import { emptyStatus } from '../status.js';
import { readStatus } from '../status-store.js';

/** `status`: the persisted state as JSON, with whether the supervisor is alive right now. */
export function statusCommand(argv: readonly string[], env: NodeJS.ProcessEnv, out: (line: string) => void): number {
  const config = loadStateConfig(argv, env);
  const paths = statePaths(config, env.HOME);
  const status = readStatus(paths) ?? emptyStatus(new Date());
  const holder = readLockHolder(paths.lockFile);
  const live = holder ? liveLockHolder(paths.lockFile) : undefined;
  out(
    JSON.stringify(
      { ...status, lock: { file: paths.lockFile, holderPid: holder?.pid, supervisorAlive: live !== undefined } },
      null,
      2,
    ),
  );
  return ExitCode.ok;
}
