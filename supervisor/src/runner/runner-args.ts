export interface RunnerArgsOptions {
  secretFlag: '--environment-secret-file' | '--pool-secret-file';
  secretFile: string;
  capacity: number;
  wrapper: string;
  healthPort: number;
  baseDir: string;
  retireAtEpochSec: number | undefined;
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
  return args;
}

/** Variables that sessions must not inherit: they run arbitrary code. */
export const strippedRunnerEnv = ['CLAUDE_POOL_SECRET', 'CODER_SELF_TOKEN'] as const;

export function runnerEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || (strippedRunnerEnv as readonly string[]).includes(key)) continue;
    out[key] = value;
  }
  return out;
}
