import { Token } from './cdk-lib';

/** The module's inputs, camelCased; the same defaults and the same validation as variables.tf. */
export interface ClaudeSelfHostedRunnerProps {
  /** The ID of the coder_agent that runs the runner. */
  readonly agentId: string;
  /** data.coder_workspace.me.id: the workspace that self-evicts. */
  readonly workspaceId: string;
  /** The self-hosted environment's secret. Kept sensitive in the synthesized configuration. */
  readonly poolSecret: string;
  /** The scoped self-evict token (workspace:read, workspace:delete, ...; allow_list this workspace). Sensitive. */
  readonly selfEvictToken: string;
  /** Optional bot git token, printed by git's askpass from the environment. Sensitive. Default "". */
  readonly gitBotToken?: string;
  /** Sessions at once, 1 to 16. Default 4. */
  readonly capacity?: number;
  /** Default /usr/local/bin/claude. */
  readonly runnerBinaryPath?: string;
  /** Default /opt/claude/claude. */
  readonly claudeBinaryPath?: string;
  /** Metadata items get order, order+1, ... Default: Coder's order. */
  readonly order?: number;
  /** Node.js >= 20 that runs the supervisor. Default "node". */
  readonly nodeBinaryPath?: string;
  /** A supervisor bundle pre-installed in the image (absolute path) instead of the embedded one. */
  readonly supervisorPath?: string;
  /** bypassPermissions (default), auto, acceptEdits, default, dontAsk or plan. */
  readonly permissionMode?: string;
  /** Absolute; default $HOME/.claude/self-hosted-runner. */
  readonly stateDir?: string;
  /** Absolute; default <stateDir>/logs. */
  readonly logDir?: string;
  /** Absolute; default $HOME/workspace. */
  readonly runnerBaseDir?: string;
  /** 1 to 65535. Default 8080. */
  readonly healthPort?: number;
  /** 1 to 300. Default 10. */
  readonly healthIntervalSeconds?: number;
  /** 1 to 3600. Default 5. */
  readonly restartInitialDelaySeconds?: number;
  /** 1 to 86400. Default 300. */
  readonly restartMaxDelaySeconds?: number;
  /** 1 to 86400. Default 60. */
  readonly shortRunSeconds?: number;
  /** 2 to 100. Default 5. */
  readonly crashLoopThreshold?: number;
  /** 0 (never) to 525600. Default 60. */
  readonly quarantineMinutes?: number;
  /** 0 (none) to 525600. Default 0. */
  readonly maxLifetimeMinutes?: number;
  /** 90 to 86400. Default 180. */
  readonly drainTimeoutSeconds?: number;
  /** 10 to 86400. Default 1800. */
  readonly evictionDeadlineSeconds?: number;
}

export const permissionModes = ['bypassPermissions', 'auto', 'acceptEdits', 'default', 'dontAsk', 'plan'];

export type ResolvedProps = Required<
  Omit<ClaudeSelfHostedRunnerProps, 'order' | 'supervisorPath' | 'stateDir' | 'logDir' | 'runnerBaseDir'>
> &
  Pick<ClaudeSelfHostedRunnerProps, 'order' | 'supervisorPath' | 'stateDir' | 'logDir' | 'runnerBaseDir'>;

/** Raised at synth time for props that the module's validation would reject. */
export class ClaudeSelfHostedRunnerPropsError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid ClaudeSelfHostedRunner props:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ClaudeSelfHostedRunnerPropsError';
    this.problems = problems;
  }
}

/** Fills the defaults and checks every prop at once, with the module's own messages. */
export function resolveProps(props: ClaudeSelfHostedRunnerProps): ResolvedProps {
  const resolved: ResolvedProps = {
    gitBotToken: '',
    capacity: 4,
    runnerBinaryPath: '/usr/local/bin/claude',
    claudeBinaryPath: '/opt/claude/claude',
    nodeBinaryPath: 'node',
    permissionMode: 'bypassPermissions',
    healthPort: 8080,
    healthIntervalSeconds: 10,
    restartInitialDelaySeconds: 5,
    restartMaxDelaySeconds: 300,
    shortRunSeconds: 60,
    crashLoopThreshold: 5,
    quarantineMinutes: 60,
    maxLifetimeMinutes: 0,
    drainTimeoutSeconds: 180,
    evictionDeadlineSeconds: 1800,
    ...Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined)),
  } as ResolvedProps;
  const problems: string[] = [];
  const whole = (name: keyof ResolvedProps, min: number, max: number, message: string): void => {
    const value = resolved[name] as number;
    if (Token.isUnresolved(value)) {
      problems.push(`${name} must be a plain number, known at synth time, so it can be validated`);
    } else if (!(Number.isFinite(value) && Math.floor(value) === value && value >= min && value <= max)) {
      problems.push(message);
    }
  };
  const absolute = (name: 'supervisorPath' | 'stateDir' | 'logDir' | 'runnerBaseDir', message: string): void => {
    const value = resolved[name];
    if (value !== undefined && !Token.isUnresolved(value) && !value.startsWith('/')) problems.push(message);
  };
  const capacity = resolved.capacity;
  if (Token.isUnresolved(capacity) || !(capacity >= 1 && capacity <= 16))
    problems.push('capacity must be between 1 and 16.');
  whole(
    'healthPort',
    1,
    65535,
    'health_port must be a whole number from 1 to 65535 (the supervisor needs the health endpoint, so 0 is not allowed).',
  );
  whole('healthIntervalSeconds', 1, 300, 'health_interval_seconds must be a whole number from 1 to 300.');
  whole('restartInitialDelaySeconds', 1, 3600, 'restart_initial_delay_seconds must be a whole number from 1 to 3600.');
  whole('restartMaxDelaySeconds', 1, 86400, 'restart_max_delay_seconds must be a whole number from 1 to 86400.');
  whole('shortRunSeconds', 1, 86400, 'short_run_seconds must be a whole number from 1 to 86400.');
  whole('crashLoopThreshold', 2, 100, 'crash_loop_threshold must be a whole number from 2 to 100.');
  whole('quarantineMinutes', 0, 525600, 'quarantine_minutes must be a whole number from 0 (never) to 525600 (a year).');
  whole('maxLifetimeMinutes', 0, 525600, 'max_lifetime_minutes must be a whole number from 0 (no limit) to 525600.');
  whole(
    'drainTimeoutSeconds',
    90,
    86400,
    'drain_timeout_seconds must be a whole number from 90 to 86400: the runner drains for about 80 s at its defaults, so less would cut sessions off.',
  );
  whole('evictionDeadlineSeconds', 10, 86400, 'eviction_deadline_seconds must be a whole number from 10 to 86400.');
  if (!Token.isUnresolved(resolved.permissionMode) && !permissionModes.includes(resolved.permissionMode)) {
    problems.push('permission_mode must be one of bypassPermissions, auto, acceptEdits, default, dontAsk, plan.');
  }
  if (
    !Token.isUnresolved(resolved.nodeBinaryPath) &&
    (resolved.nodeBinaryPath.trim() === '' || resolved.nodeBinaryPath.includes('\n'))
  ) {
    problems.push('node_binary_path must be a command name on PATH (such as "node") or an absolute path, on one line.');
  }
  absolute(
    'supervisorPath',
    'supervisor_path must be an absolute path (for example /opt/claude-runner/supervisor.cjs), or null to use the embedded bundle.',
  );
  absolute('stateDir', 'state_dir must be an absolute path, or null for $HOME/.claude/self-hosted-runner.');
  absolute('logDir', 'log_dir must be an absolute path, or null for <state_dir>/logs.');
  absolute('runnerBaseDir', 'runner_base_dir must be an absolute path, or null for $HOME/workspace.');
  if (problems.length === 0 && resolved.restartInitialDelaySeconds > resolved.restartMaxDelaySeconds) {
    problems.push('restart_initial_delay_seconds must not exceed restart_max_delay_seconds.');
  }
  if (problems.length > 0) throw new ClaudeSelfHostedRunnerPropsError(problems);
  return resolved;
}
