import path from 'node:path';
import { ConfigError } from '../shared/errors.js';
import { crossRuleProblem, ruleInputs } from './cross-rules.js';
import { crossInputRules, roleNames, type PermissionMode, type RoleName } from './inputs.js';
import type { Env } from './kinds/index.js';
import { labelPattern } from './kinds/label.js';
import { parseInputs, readInputs, type InputValues } from './parse-inputs.js';

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
  stopBudgetMs: number;
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

/** What every supervised program's configuration has. */
export interface CommonRunConfig extends StateConfig {
  role: RoleName;
  /** The Coder deployment (CODER_AGENT_URL). */
  agentUrl: string;
  /** The `claude` binary that provides `claude self-hosted-runner` (and its orchestrator). */
  runnerBinary: string;
  healthPort: number;
  healthIntervalMs: number;
  restart: RestartPolicyConfig;
  quarantineMs: number;
  /** Timeout of one Coder API request, the whole exchange. */
  evictionRequestTimeoutMs: number;
}

/** The orchestrator's configuration (the orchestrator/ sub-module). */
export interface OrchestratorConfig extends CommonRunConfig {
  role: 'orchestrator';
  /** The environment secret: the orchestrator is the one host that holds it. */
  poolSecret: string;
  /** The runner-owner account's token, for the spawn-runner hook. */
  coderToken: string;
  runnerOwner: string;
  runnerTemplate: string;
  runnerPreset: string | undefined;
  runnerOrganization: string;
  workOrderParameter: string;
  workspaceNamePrefix: string;
  minIdle: number;
  hookConcurrency: number;
  hookTimeoutSec: number;
  expectedSpawnSec: number;
  agentProxyUrl: string | undefined;
  logLevel: string;
}

export interface SupervisorConfig extends CommonRunConfig {
  role: 'runner';
  mode: 'pool' | 'on-demand';
  /** Pool mode: the environment secret (empty in on-demand mode, where it never enters the workspace). */
  poolSecret: string;
  /** On-demand mode: the work order that this start brings (the runner's credential instead of the secret). */
  workOrder: string | undefined;
  /** On-demand mode: how long a workspace without a work order waits before it self-evicts (0: forever). */
  orderWaitMs: number;
  selfToken: string;
  gitBotToken: string | undefined;
  capacity: number;
  workspaceId: string;
  claudeBinary: string;
  baseDir: string;
  permissionMode: PermissionMode;
  maxLifetimeMs: number;
  /** Hard cap of a runner's life, so of a locked workspace's (--retire-at, then a kill). */
  maxLockedMs: number;
  /** A live runner silent or with stale polls for this long no longer works. */
  runnerUnresponsiveMs: number;
  evictionDeadlineMs: number;
  /** Base of the full-jitter retry delays (an active build is re-checked every 5x this). */
  evictionRetryBaseMs: number;
  dockerSocket: string;
  runnerOptions: RunnerOptions;
  /** The runner user (docs/isolation.md), or "none". */
  runnerUser: string;
  /** The runner user joins the docker socket's group (root-equivalent: isolation is partial). */
  runnerDockerAccess: boolean;
}

export type RunConfig = SupervisorConfig | OrchestratorConfig;

/** The configuration's fields that hold a credential (the table's sensitive inputs), whichever the role. */
const secretFields = ['poolSecret', 'selfToken', 'gitBotToken', 'workOrder', 'coderToken'] as const;

/** Values that must never be printed; used for log redaction. */
export function secretValues(config: RunConfig): string[] {
  const fields = config as Partial<Record<(typeof secretFields)[number], unknown>>;
  return secretFields.map((field) => fields[field]).filter((v): v is string => typeof v === 'string' && v.length > 0);
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
    stopBudgetMs: seconds(stopBudgetSec(v.drainTimeoutSec as number, drainWaitSec)),
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

export interface RunConfigResult<C extends RunConfig = RunConfig> {
  config: C;
  detached: boolean;
}

/** Rules between inputs (the table's crossInputRules), among the inputs that each passed alone. */
function crossInputProblems(v: Partial<InputValues>, failed: readonly string[]): string[] {
  return crossInputRules.flatMap((rule) =>
    ruleInputs(rule).some((name) => failed.includes(name)) ? [] : (crossRuleProblem(rule, v) ?? []),
  );
}

function commonOf(v: InputValues): Omit<CommonRunConfig, 'role'> {
  return {
    ...stateConfigOf(v),
    agentUrl: v.agentUrl as string,
    runnerBinary: v.runnerBinary as string,
    healthPort: v.healthPort,
    healthIntervalMs: seconds(v.healthIntervalSec),
    restart: {
      initialDelayMs: seconds(v.restartInitialSec),
      maxDelayMs: seconds(v.restartMaxSec),
      shortRunMs: seconds(v.shortRunSec),
      crashLoopThreshold: v.crashLoopThreshold,
    },
    quarantineMs: minutes(v.quarantineMin),
    evictionRequestTimeoutMs: seconds(v.evictionRequestTimeoutSec),
  };
}

/** The orchestrator role's configuration from the parsed inputs. */
export function orchestratorConfigOf(v: InputValues): OrchestratorConfig {
  return {
    ...commonOf(v),
    role: 'orchestrator',
    poolSecret: v.poolSecret as string,
    coderToken: v.coderToken as string,
    runnerOwner: v.runnerOwner as string,
    runnerTemplate: v.runnerTemplate as string,
    runnerPreset: v.runnerPreset,
    runnerOrganization: v.runnerOrganization as string,
    workOrderParameter: v.workOrderParameter as string,
    workspaceNamePrefix: v.workspaceNamePrefix as string,
    minIdle: v.minIdle,
    hookConcurrency: v.hookConcurrency,
    hookTimeoutSec: v.hookTimeoutSec,
    expectedSpawnSec: v.expectedSpawnSec,
    agentProxyUrl: v.agentProxyUrl,
    logLevel: v.runnerLogLevel ?? 'info',
  };
}

/** The runner role's configuration from the parsed inputs. */
export function runnerConfigOf(v: InputValues, env: Env): SupervisorConfig {
  return {
    ...commonOf(v),
    role: 'runner',
    mode: v.runnerMode === 'on-demand' ? 'on-demand' : 'pool',
    poolSecret: v.poolSecret ?? '',
    workOrder: v.workOrder,
    orderWaitMs: minutes(v.orderWaitMin),
    selfToken: v.selfEvictToken as string,
    gitBotToken: v.gitBotToken,
    capacity: v.capacity,
    workspaceId: v.workspaceId as string,
    claudeBinary: v.claudeBinary as string,
    baseDir: v.baseDir as string,
    permissionMode: v.permissionMode as PermissionMode,
    maxLifetimeMs: minutes(v.maxLifetimeMin),
    maxLockedMs: minutes(v.maxLockedMin),
    runnerUnresponsiveMs: seconds(v.runnerUnresponsiveSec),
    evictionDeadlineMs: seconds(v.evictionDeadlineSec),
    evictionRetryBaseMs: v.evictionRetryBaseMs,
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
  };
}

/** The inputs of `start` and `run`, every problem at once (the rules between inputs too). */
export interface RunInputs {
  values: InputValues;
  detached: boolean;
}

/** The role that the inputs name (`--role`, the runner when absent; the role's row checks its value). */
export function roleOfInputs(values: Pick<InputValues, 'role'>): RoleName {
  return roleNames.find((name) => name === values.role) ?? 'runner';
}

export function parseRunInputs(argv: readonly string[], env: Env): RunInputs {
  const parsed = readInputs(argv, env, 'run');
  const problems = [...parsed.problems, ...crossInputProblems(parsed.values, parsed.failed)];
  if (problems.length > 0) throw new ConfigError(problems);
  return { values: parsed.values as InputValues, detached: parsed.detached };
}

/** Each role's configuration from its inputs (roles/registry.ts pairs them with the roles). */
export const configBuilders: { [R in RoleName]: (v: InputValues, env: Env) => Extract<RunConfig, { role: R }> } = {
  runner: runnerConfigOf,
  orchestrator: (v) => orchestratorConfigOf(v),
};

/** Configuration of `start` and `run`: the environment that the module sets, and flags. */
export function loadRunConfig(argv: readonly string[], env: Env): RunConfigResult {
  const { values, detached } = parseRunInputs(argv, env);
  return { detached, config: configBuilders[roleOfInputs(values)](values, env) };
}

/** The runner's configuration, for the places that only the runner has (tests, the token check). */
export function loadRunnerConfig(argv: readonly string[], env: Env): RunConfigResult<SupervisorConfig> {
  const { values, detached } = parseRunInputs(argv, env);
  if (roleOfInputs(values) !== 'runner') throw new ConfigError(['--role: expected runner here']);
  return { detached, config: runnerConfigOf(values, env) };
}

/**
 * What the runner registers with, written to its secret file: the environment secret in pool
 * mode, the work order in on-demand mode (undefined while a prebuild waits for one).
 */
export function runnerCredential(config: SupervisorConfig): string | undefined {
  const value = config.mode === 'on-demand' ? config.workOrder : config.poolSecret;
  return value ? value : undefined;
}
