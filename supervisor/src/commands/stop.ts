import { loadStateConfig } from '../config/config.js';
import { ExitCode } from '../shared/errors.js';
import { liveLockHolder } from '../state/instance-lock.js';
import { statePaths } from '../state/paths.js';
import { isSameProcessAlive } from '../shared/process-info.js';
import { readStatus } from '../state/status-store.js';
import { writeFileAtomically } from '../shared/atomic-file.js';
import { readIsolationRecord } from '../workspace/isolation.js';
import { killIsolatedProcesses } from '../workspace/runner-user.js';

/** Extra time for the supervisor to persist its state after the runner is gone. */
const settleMs = 15_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForExit(pid: number, startTime: string | undefined, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isSameProcessAlive(pid, startTime)) return true;
    await sleep(100);
  }
  return !isSameProcessAlive(pid, startTime);
}

function kill(target: number, signal: NodeJS.Signals): void {
  try {
    process.kill(target, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Tells the runner, before its SIGTERM, that the host is draining it (--drain-marker-file): the
 * first line is the time (Unix seconds) after which the workspace is force-stopped. Telemetry
 * only, so a failed write never stops the drain.
 */
function writeDrainMarker(file: string, forceAtMs: number): void {
  try {
    writeFileAtomically(file, `${Math.floor(forceAtMs / 1000)}\n`, 0o644);
  } catch {
    // The state dir may be gone or full: the drain goes on as a plain shutdown.
  }
}

/**
 * `stop` (the module's run_on_stop script): a graceful drain, never a self-eviction. With a
 * live supervisor, one SIGTERM to it makes it drain the runner (one SIGTERM, then SIGKILL of
 * the group after the drain timeout). Without one (it was killed), `stop` drains the runner
 * itself the same way.
 */
export async function stopCommand(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  out: (line: string) => void,
): Promise<number> {
  const config = loadStateConfig(argv, env);
  const paths = statePaths(config);
  const { isolation, paths: runnerPaths } = readIsolationRecord({}, paths);
  writeDrainMarker(runnerPaths.drainMarker, Date.now() + config.stopBudgetMs + settleMs);
  // Whatever the supervisor left undone: nothing of the runner user outlives a stop.
  const killLeftovers = async (): Promise<void> => {
    if (!isolation.on) return;
    const report = await killIsolatedProcesses(isolation);
    if (report.found > 0)
      out(`killed ${report.found} process(es) of the runner user ${isolation.user.name} and its sessions`);
  };
  const supervisor = liveLockHolder(paths.lockFile);
  if (supervisor) {
    out(`stopping the supervisor (pid ${supervisor.pid}); the runner drains for up to ${config.stopBudgetMs / 1000} s`);
    kill(supervisor.pid, 'SIGTERM');
    if (await waitForExit(supervisor.pid, supervisor.startTime, config.stopBudgetMs + settleMs)) {
      out('supervisor stopped');
      return ExitCode.ok;
    }
    out('the supervisor did not exit in time; killing it and the runner');
    kill(supervisor.pid, 'SIGKILL');
  }
  const status = readStatus(paths);
  const runnerPid = status?.programPid;
  if (runnerPid === undefined || !isSameProcessAlive(runnerPid, status?.programStartTime)) {
    if (!supervisor) out('no supervisor or runner is running; nothing to stop');
    await killLeftovers();
    return ExitCode.ok;
  }
  if (!supervisor) {
    out(`no supervisor; draining the runner (pid ${runnerPid}) directly`);
    kill(runnerPid, 'SIGTERM');
    if (await waitForExit(runnerPid, status?.programStartTime, config.stopBudgetMs)) {
      kill(-runnerPid, 'SIGKILL');
      out('runner drained');
      await killLeftovers();
      return ExitCode.ok;
    }
  }
  kill(-runnerPid, 'SIGKILL');
  out(`runner process group ${runnerPid} killed after the drain timeout`);
  await killLeftovers();
  return ExitCode.ok;
}
