import type { OrchestratorConfig } from '../../config/config.js';

/** The orchestrator's --shutdown-drain-sec: its help asks for at least --hook-timeout + 10. */
export const shutdownDrainSec = (config: Pick<OrchestratorConfig, 'hookTimeoutSec'>): number =>
  config.hookTimeoutSec + 10;

/**
 * The orchestrator's argv (after the binary): the environment secret only as a file path, the
 * hooks dir that holds the bundle's spawn-runner hook, and the lease, concurrency and timeouts
 * from the inputs table.
 */
export function buildOrchestratorArgs(
  config: OrchestratorConfig,
  files: { secretFile: string; hooksDir: string },
): string[] {
  const args = [
    'self-hosted-runner',
    'orchestrator',
    '--environment-secret-file',
    files.secretFile,
    '--hooks-dir',
    files.hooksDir,
    '--hook-concurrency',
    String(config.hookConcurrency),
    '--hook-timeout',
    String(config.hookTimeoutSec),
    '--expected-spawn-seconds',
    String(config.expectedSpawnSec),
    '--shutdown-drain-sec',
    String(shutdownDrainSec(config)),
    '--health-port',
    String(config.healthPort),
  ];
  if (config.minIdle > 0) args.push('--min-idle', String(config.minIdle));
  if (config.agentProxyUrl) args.push('--agent-proxy-url', config.agentProxyUrl);
  if (config.logLevel !== 'info') args.push('--log-level', config.logLevel);
  return args;
}
