import type { RunnerOptions } from '../../config/config.js';

export interface RunnerArgsOptions {
  secretFlag: '--environment-secret-file' | '--pool-secret-file';
  secretFile: string;
  capacity: number;
  wrapper: string;
  healthPort: number;
  baseDir: string;
  retireAtEpochSec: number | undefined;
  drainWaitSec: number;
  /** Written by `stop` before it signals, so Anthropic records a host drain. */
  drainMarkerFile: string;
  options: RunnerOptions;
}

/**
 * The runner's argv (after the binary): the secret only as a file path, never as a value. No
 * --log-file: the runner writes the same lines to stdout, which goes to the one runner log with
 * its stderr (where its configuration errors are).
 */
export function buildRunnerArgs(options: RunnerArgsOptions): string[] {
  const args = [
    'self-hosted-runner',
    options.secretFlag,
    options.secretFile,
    '--capacity',
    String(options.capacity),
    '--exec-path',
    options.wrapper,
    '--health-port',
    String(options.healthPort),
    '--base-dir',
    options.baseDir,
  ];
  if (options.retireAtEpochSec !== undefined) args.push('--retire-at', String(options.retireAtEpochSec));
  args.push('--drain-marker-file', options.drainMarkerFile);
  if (options.drainWaitSec > 0) args.push('--drain-wait-sec', String(options.drainWaitSec));
  const o = options.options;
  const optional: [string, string | number | undefined][] = [
    ['--client-label', o.clientLabel],
    ['--release-idle-session-min', o.releaseIdleSessionMin],
    ['--kill-session-after-min', o.killSessionAfterMin],
    ['--exit-if-unused-min', o.exitIfUnusedMin],
    ['--hooks-dir', o.hooksDir],
    ['--agent-proxy-url', o.agentProxyUrl],
  ];
  for (const [flag, value] of optional) if (value !== undefined) args.push(flag, String(value));
  if (o.logLevel !== 'info') args.push('--log-level', o.logLevel);
  args.push(...o.extraArgs);
  return args;
}
