import path from 'node:path';
import { ConfigError } from '../shared/errors.js';
import { crossRuleProblem } from './cross-rules.js';
import { crossInputRules, type PermissionMode } from './inputs.js';
import type { Env } from './kinds/index.js';
import { labelPattern } from './kinds/label.js';
import { parseInputs, type InputValues } from './parse-inputs.js';

export type { Env } from './kinds/index.js';

export interface RestartPolicyConfig {
  initialDelayMs: number;
  maxDelayMs: number;
  shortRunMs: number;
  crashLoopThreshold: number;
}

/** Where the supervisor keeps its files; all that `stop` and `status` need. */
export interface StateConfig {
  stateDir: string;
  logDir: string;
  /** The whole stop budget: drain_timeout_seconds plus the runner's --drain-wait-sec. */
  drainTimeoutMs: number;
  drainWaitSec: number;
}

/** Options of the runner that the supervisor passes through (see the inputs table). */
export interface RunnerOptions {
  clientLabel: string | undefined;
  releaseIdleSessionMin: number | undefined;
  killSessionAfterMin: number | undefined;
  exitIfUnusedMin: number | undefined;
  hooksDir: string | undefined;
  agentProxyUrl: string | undefined;
  logLevel: string;
  extraArgs: string[];
}

export interface SupervisorConfig extends StateConfig {
  poolSecret: string;
  selfToken: string;
  gitBotToken: string | undefined;
  capacity: number;
  workspaceId: string;
  agentUrl: string;
  runnerBinary: string;
  claudeBinary: string;
  baseDir: string;
  permissionMode: PermissionMode;
  healthPort: number;
  healthIntervalMs: number;
  restart: RestartPolicyConfig;
  quarantineMs: number;
  maxLifetimeMs: number;
  /** Hard cap of a runner's life, so of a locked workspace's (--retire-at, then a kill). */
  maxLockedMs: number;
  /** A live runner silent or with stale polls for this long no longer works. */
  runnerUnresponsiveMs: number;
  evictionDeadlineMs: number;
  /** Base of the full-jitter retry delays (an active build is re-checked every 5x this). */
  evictionRetryBaseMs: number;
  /** Timeout of one API request, the whole exchange. */
  evictionRequestTimeoutMs: number;
  dockerSocket: string;
  runnerOptions: RunnerOptions;
  /** The runner user (docs/isolation.md), or "none". */
  runnerUser: string;
  /** The runner user joins the docker socket's group (root-equivalent: isolation is partial). */
  runnerDockerAccess: boolean;
}

/** Values that must never be printed; used for log redaction. */
export function secretValues(config: Pick<SupervisorConfig, 'poolSecret' | 'selfToken' | 'gitBotToken'>): string[] {
  return [config.poolSecret, config.selfToken, config.gitBotToken].filter(
    (v): v is string => typeof v === 'string' && v.length > 0,
  );
}

const seconds = (s: number): number => s * 1000;
const minutes = (m: number): number => Math.round(m * 60_000);

/**
 * The stop's whole budget, computed here only: the runner's own stop budget (drain timeout)
 * plus the time it gives turns in flight to finish first (--drain-wait-sec).
 */
export function stopBudgetSec(drainTimeoutSec: number, drainWaitSec: number): number {
  return drainTimeoutSec + drainWaitSec;
}

function stateConfigOf(v: Partial<InputValues>): StateConfig {
  const stateDir = v.stateDir as string;
  const drainWaitSec = v.drainWaitSec ?? 0;
  return {
    stateDir,
    logDir: v.logDir ?? path.join(stateDir, 'logs'),
    drainTimeoutMs: seconds(stopBudgetSec(v.drainTimeoutSec as number, drainWaitSec)),
    drainWaitSec,
  };
}

/** The Anthropic console's label of this runner: <owner>/<workspace>, as the Coder agent names them. */
function defaultClientLabel(env: Env): string | undefined {
  const owner = env.CODER_WORKSPACE_OWNER_NAME;
  const workspace = env.CODER_WORKSPACE_NAME;
  const label = owner && workspace ? `${owner}/${workspace}` : undefined;
  return label !== undefined && labelPattern.test(label) ? label : undefined;
}

/** Configuration of `stop` and `status`. */
export function loadStateConfig(argv: readonly string[], env: Env): StateConfig {
  return stateConfigOf(parseInputs(argv, env, 'state').values);
}

export interface RunConfigResult {
  config: SupervisorConfig;
  detached: boolean;
}

/** Rules between inputs (the table's crossInputRules), after each one alone passed. */
function crossInputProblems(v: InputValues): string[] {
  return crossInputRules.flatMap((rule) => crossRuleProblem(rule, v) ?? []);
}

/** Configuration of `start` and `run`: the environment that the module sets, and flags. */
export function loadRunConfig(argv: readonly string[], env: Env): RunConfigResult {
  const parsed = parseInputs(argv, env, 'run');
  const v = parsed.values as InputValues;
  const problems = crossInputProblems(v);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    detached: parsed.detached,
    config: {
      ...stateConfigOf(v),
      poolSecret: v.poolSecret as string,
      selfToken: v.selfEvictToken as string,
      gitBotToken: v.gitBotToken,
      capacity: v.capacity,
      workspaceId: v.workspaceId as string,
      agentUrl: v.agentUrl as string,
      runnerBinary: v.runnerBinary as string,
      claudeBinary: v.claudeBinary as string,
      baseDir: v.baseDir as string,
      permissionMode: v.permissionMode as PermissionMode,
      healthPort: v.healthPort,
      healthIntervalMs: seconds(v.healthIntervalSec),
      restart: {
        initialDelayMs: seconds(v.restartInitialSec),
        maxDelayMs: seconds(v.restartMaxSec),
        shortRunMs: seconds(v.shortRunSec),
        crashLoopThreshold: v.crashLoopThreshold,
      },
      quarantineMs: minutes(v.quarantineMin),
      maxLifetimeMs: minutes(v.maxLifetimeMin),
      maxLockedMs: minutes(v.maxLockedMin),
      runnerUnresponsiveMs: seconds(v.runnerUnresponsiveSec),
      evictionDeadlineMs: seconds(v.evictionDeadlineSec),
      evictionRetryBaseMs: v.evictionRetryBaseMs,
      evictionRequestTimeoutMs: seconds(v.evictionRequestTimeoutSec),
      dockerSocket: v.dockerSocket as string,
      runnerOptions: {
        clientLabel: v.clientLabel ?? defaultClientLabel(env),
        releaseIdleSessionMin: v.releaseIdleSessionMin,
        killSessionAfterMin: v.killSessionAfterMin,
        exitIfUnusedMin: v.exitIfUnusedMin,
        hooksDir: v.hooksDir,
        agentProxyUrl: v.agentProxyUrl,
        logLevel: v.runnerLogLevel ?? 'info',
        extraArgs: v.extraRunnerArgs,
      },
      runnerUser: v.runnerUser as string,
      runnerDockerAccess: v.runnerDockerAccess === 'on',
    },
  };
}
