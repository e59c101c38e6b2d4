import { loadStateConfig } from '../config/config.js';
import { ExitCode } from '../shared/errors.js';
import { readLockHolder } from '../state/instance-lock.js';
import { isSameProcessAlive } from '../shared/process-info.js';
import { statePaths } from '../state/paths.js';
import { emptyStatus } from '../state/status.js';
import { readStatus } from '../state/status-store.js';
import { readIsolationRecord } from '../workspace/isolation.js';
import { isolationLabel } from '../workspace/runner-user.js';

/** `status`: the persisted state as JSON, with whether the supervisor is alive right now. */
export function statusCommand(argv: readonly string[], env: NodeJS.ProcessEnv, out: (line: string) => void): number {
  const config = loadStateConfig(argv, env);
  const paths = statePaths(config);
  const status = readStatus(paths) ?? emptyStatus(new Date());
  const holder = readLockHolder(paths.lockFile);
  const alive = holder !== undefined && isSameProcessAlive(holder.pid, holder.startTime);
  out(
    JSON.stringify(
      {
        ...status,
        isolation: status.isolation ?? isolationLabel(readIsolationRecord({}, paths).isolation),
        lock: { file: paths.lockFile, holderPid: holder?.pid, supervisorAlive: alive },
      },
      null,
      2,
    ),
  );
  return ExitCode.ok;
}
