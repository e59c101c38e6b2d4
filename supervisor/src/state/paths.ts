import path from 'node:path';
import type { StateConfig } from '../config/config.js';

/**
 * The state directory's layout. The module's metadata scripts read `items/*` directly, so
 * these names are a contract with `outputs.tf`.
 */
export interface StatePaths {
  stateDir: string;
  logDir: string;
  secretFile: string;
  wrapper: string;
  askpass: string;
  lockFile: string;
  lockedFlag: string;
  /** Written by `stop` before its SIGTERM: the runner reports a host drain (--drain-marker-file). */
  drainMarker: string;
  sessionsFile: string;
  statusFile: string;
  itemsDir: string;
  supervisorLog: string;
  /** The supervised program's stdout and stderr, one file, capped (process/process-log.ts). */
  runnerLog: string;
  /** The orchestrator's --hooks-dir, with the bundle's spawn-runner hook in it. */
  hooksDir: string;
  /** What the spawn-runner hook needs (0400: it holds the Coder token). */
  spawnConfig: string;
}

export function statePaths(config: StateConfig): StatePaths {
  const { stateDir, logDir } = config;
  return {
    stateDir,
    logDir,
    secretFile: path.join(stateDir, 'environment-secret'),
    wrapper: path.join(stateDir, 'session-wrapper.sh'),
    askpass: path.join(stateDir, 'git-askpass.sh'),
    lockFile: path.join(stateDir, 'supervisor.lock'),
    lockedFlag: path.join(stateDir, 'locked'),
    drainMarker: path.join(stateDir, 'drain-marker'),
    sessionsFile: path.join(stateDir, 'sessions'),
    statusFile: path.join(stateDir, 'status.json'),
    itemsDir: path.join(stateDir, 'items'),
    supervisorLog: path.join(logDir, 'supervisor.log'),
    runnerLog: path.join(logDir, 'runner.log'),
    hooksDir: path.join(stateDir, 'hooks'),
    spawnConfig: path.join(stateDir, 'spawn-config.json'),
  };
}
