import path from 'node:path';
import { parseArgs } from 'node:util';
import * as z from 'zod/mini';
import { ConfigError, UsageError } from './errors.js';
import { permissionModes, type PermissionMode } from './permission-mode.js';

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
  drainTimeoutMs: number;
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
  evictionDeadlineMs: number;
  /** Base of the full-jitter retry delays (an active build is re-checked every 5x this). */
  evictionRetryBaseMs: number;
  /** Timeout of one API request, the whole exchange. */
  evictionRequestTimeoutMs: number;
  dockerSocket: string;
}

/** Flags of `start` and `run`; `stop` and `status` take the state flags only. */
const stateFlags = {
  'state-dir': { type: 'string' },
  'log-dir': { type: 'string' },
  'drain-timeout-sec': { type: 'string' },
} as const;

const runFlags = {
  ...stateFlags,
  'runner-binary': { type: 'string' },
  'claude-binary': { type: 'string' },
  'base-dir': { type: 'string' },
  'permission-mode': { type: 'string' },
  'health-port': { type: 'string' },
  'health-interval-sec': { type: 'string' },
  'restart-initial-sec': { type: 'string' },
  'restart-max-sec': { type: 'string' },
  'short-run-sec': { type: 'string' },
  'crash-loop-threshold': { type: 'string' },
  'quarantine-min': { type: 'string' },
  'max-lifetime-min': { type: 'string' },
  'eviction-deadline-sec': { type: 'string' },
  'eviction-retry-base-ms': { type: 'string' },
  'eviction-request-timeout-sec': { type: 'string' },
  'docker-socket': { type: 'string' },
  // Internal: marks the detached child that `start` spawns.
  detached: { type: 'boolean' },
} as const;

export type Env = Readonly<Record<string, string | undefined>>;

/** Values that must never be printed; used for log redaction. */
export function secretValues(config: Pick<SupervisorConfig, 'poolSecret' | 'selfToken' | 'gitBotToken'>): string[] {
  return [config.poolSecret, config.selfToken, config.gitBotToken].filter(
    (v): v is string => typeof v === 'string' && v.length > 0,
  );
}

function parseFlags<T extends typeof stateFlags | typeof runFlags>(argv: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}. Run with --help for the flags.`);
  }
}

// --- field schemas: each message names what was expected; non-secret inputs are quoted back.

type Ctx = z.core.ParsePayload<unknown>;

/** An optional string input, transformed (and checked) by `fn`, which reports through `ctx`. */
function optionalString<T>(fn: (raw: string | undefined, ctx: Ctx) => T) {
  return z.pipe(z.optional(z.string()), z.transform(fn));
}

function addIssue(ctx: Ctx, issue: { message: string }): void {
  // The input is deliberately not attached: the message says what may be shown of it.
  ctx.issues.push({ code: 'custom', message: issue.message, input: undefined });
}

const show = (input: unknown): string => (input === undefined ? 'nothing' : JSON.stringify(input));

function wholeNumber(min: number, max: number, fallback: number) {
  return optionalString((raw, ctx) => {
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max || !/^\s*\d+\s*$/.test(raw)) {
      addIssue(ctx, { message: `expected a whole number from ${min} to ${max}, got ${show(raw)}` });
      return z.NEVER;
    }
    return value;
  });
}

/** A non-negative number of minutes; fractions allowed (tests use seconds-long quarantines). */
function minutes(max: number, fallback: number) {
  return optionalString((raw, ctx) => {
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (!/^\s*\d+(\.\d+)?\s*$/.test(raw) || value > max) {
      addIssue(ctx, { message: `expected a number of minutes from 0 to ${max}, got ${show(raw)}` });
      return z.NEVER;
    }
    return value;
  });
}

function absolutePath(fallback: string | undefined, hint: string) {
  return optionalString((raw, ctx) => {
    const value = raw === undefined || raw === '' ? fallback : raw;
    if (value === undefined) {
      addIssue(ctx, { message: `is required: ${hint}` });
      return z.NEVER;
    }
    if (!path.isAbsolute(value) || value.includes('\0')) {
      addIssue(ctx, { message: `expected an absolute path, got ${show(value)}` });
      return z.NEVER;
    }
    return path.normalize(value);
  });
}

function secret(hint: string, required: boolean) {
  return optionalString((raw, ctx) => {
    if (raw === undefined || raw.trim() === '') {
      if (!required) return undefined;
      addIssue(ctx, { message: `is required and empty: ${hint}` });
      return z.NEVER;
    }
    // The value itself is never quoted back: it is a secret.
    if (raw.includes('\0') || /[\r\n]/.test(raw.trim())) {
      addIssue(ctx, { message: `must be a single line without NUL bytes (value not shown)` });
      return z.NEVER;
    }
    return raw.trim();
  });
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const workspaceId = optionalString((raw, ctx) => {
  if (raw === undefined || !uuidPattern.test(raw.trim())) {
    addIssue(ctx, {
      message: `expected the workspace UUID (the module passes data.coder_workspace.me.id), got ${show(raw)}`,
    });
    return z.NEVER;
  }
  return raw.trim().toLowerCase();
});

const agentUrl = optionalString((raw, ctx) => {
  let url: URL | undefined;
  try {
    url = raw ? new URL(raw) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    addIssue(ctx, {
      message: `expected the Coder deployment's http(s) URL (the Coder agent sets it), got ${show(raw)}`,
    });
    return z.NEVER;
  }
  return url.toString();
});

const permissionMode = optionalString((raw, ctx): PermissionMode => {
  const value = raw === undefined || raw === '' ? 'bypassPermissions' : raw;
  if (!(permissionModes as readonly string[]).includes(value)) {
    addIssue(ctx, { message: `expected one of ${permissionModes.join(', ')}, got ${show(raw)}` });
    return z.NEVER;
  }
  return value as PermissionMode;
});

function formatIssues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string[] {
  return error.issues.map((issue) => `${issue.path.map(String).join('.') || 'configuration'}: ${issue.message}`);
}

function defaultStateDir(env: Env): string | undefined {
  return env.HOME ? path.join(env.HOME, '.claude', 'self-hosted-runner') : undefined;
}

function stateShape(env: Env) {
  return {
    '--state-dir': absolutePath(defaultStateDir(env), 'HOME is not set, so pass --state-dir'),
    '--log-dir': z.optional(z.string()),
    '--drain-timeout-sec': wholeNumber(1, 86_400, 180),
  };
}

function resolveLogDir(raw: string | undefined, stateDir: string, problems: string[]): string {
  if (raw === undefined || raw === '') return path.join(stateDir, 'logs');
  if (!path.isAbsolute(raw)) {
    problems.push(`--log-dir: expected an absolute path, got ${show(raw)}`);
    return raw;
  }
  return path.normalize(raw);
}

/** Configuration of `stop` and `status`. */
export function loadStateConfig(argv: readonly string[], env: Env): StateConfig {
  const flags = parseFlags(argv, stateFlags);
  const result = z.object(stateShape(env)).safeParse({
    '--state-dir': flags['state-dir'],
    '--log-dir': flags['log-dir'],
    '--drain-timeout-sec': flags['drain-timeout-sec'],
  });
  if (!result.success) throw new ConfigError(formatIssues(result.error));
  const problems: string[] = [];
  const logDir = resolveLogDir(result.data['--log-dir'], result.data['--state-dir'], problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return { stateDir: result.data['--state-dir'], logDir, drainTimeoutMs: result.data['--drain-timeout-sec'] * 1000 };
}

export interface RunConfigResult {
  config: SupervisorConfig;
  detached: boolean;
}

/** Configuration of `start` and `run`: the environment that the module sets, and flags. */
export function loadRunConfig(argv: readonly string[], env: Env): RunConfigResult {
  const flags = parseFlags(argv, runFlags);
  const schema = z.object({
    ...stateShape(env),
    CLAUDE_POOL_SECRET: secret("set the module's pool_secret input (the self-hosted environment's secret)", true),
    CODER_SELF_TOKEN: secret(
      "set the module's self_evict_token input (a token scoped to workspace:read and workspace:delete of this workspace)",
      true,
    ),
    GIT_BOT_TOKEN: secret('', false),
    CLAUDE_CAPACITY: wholeNumber(1, 16, 4),
    CODER_WORKSPACE_ID: workspaceId,
    CODER_AGENT_URL: agentUrl,
    '--runner-binary': absolutePath('/usr/local/bin/claude', ''),
    '--claude-binary': absolutePath('/opt/claude/claude', ''),
    '--base-dir': absolutePath(
      env.HOME ? path.join(env.HOME, 'workspace') : undefined,
      'HOME is not set, so pass --base-dir',
    ),
    '--permission-mode': permissionMode,
    '--health-port': wholeNumber(1, 65_535, 8080),
    '--health-interval-sec': wholeNumber(1, 300, 10),
    '--restart-initial-sec': wholeNumber(1, 3600, 5),
    '--restart-max-sec': wholeNumber(1, 86_400, 300),
    '--short-run-sec': wholeNumber(1, 86_400, 60),
    '--crash-loop-threshold': wholeNumber(2, 100, 5),
    '--quarantine-min': minutes(525_600, 60),
    '--max-lifetime-min': minutes(525_600, 0),
    '--eviction-deadline-sec': wholeNumber(10, 86_400, 1800),
    '--eviction-retry-base-ms': wholeNumber(10, 60_000, 1000),
    '--eviction-request-timeout-sec': wholeNumber(1, 300, 15),
    '--docker-socket': absolutePath('/var/run/docker.sock', ''),
  });
  const result = schema.safeParse({
    CLAUDE_POOL_SECRET: env.CLAUDE_POOL_SECRET,
    CODER_SELF_TOKEN: env.CODER_SELF_TOKEN,
    GIT_BOT_TOKEN: env.GIT_BOT_TOKEN,
    CLAUDE_CAPACITY: env.CLAUDE_CAPACITY,
    CODER_WORKSPACE_ID: env.CODER_WORKSPACE_ID,
    CODER_AGENT_URL: env.CODER_AGENT_URL,
    '--state-dir': flags['state-dir'],
    '--log-dir': flags['log-dir'],
    '--drain-timeout-sec': flags['drain-timeout-sec'],
    '--runner-binary': flags['runner-binary'],
    '--claude-binary': flags['claude-binary'],
    '--base-dir': flags['base-dir'],
    '--permission-mode': flags['permission-mode'],
    '--health-port': flags['health-port'],
    '--health-interval-sec': flags['health-interval-sec'],
    '--restart-initial-sec': flags['restart-initial-sec'],
    '--restart-max-sec': flags['restart-max-sec'],
    '--short-run-sec': flags['short-run-sec'],
    '--crash-loop-threshold': flags['crash-loop-threshold'],
    '--quarantine-min': flags['quarantine-min'],
    '--max-lifetime-min': flags['max-lifetime-min'],
    '--eviction-deadline-sec': flags['eviction-deadline-sec'],
    '--eviction-retry-base-ms': flags['eviction-retry-base-ms'],
    '--eviction-request-timeout-sec': flags['eviction-request-timeout-sec'],
    '--docker-socket': flags['docker-socket'],
  });
  if (!result.success) throw new ConfigError(formatIssues(result.error));
  const d = result.data;
  const problems: string[] = [];
  const logDir = resolveLogDir(d['--log-dir'], d['--state-dir'], problems);
  if (d['--restart-initial-sec'] > d['--restart-max-sec']) {
    problems.push(
      `--restart-initial-sec: expected at most --restart-max-sec (${d['--restart-max-sec']}), got ${d['--restart-initial-sec']}`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    detached: flags.detached === true,
    config: {
      poolSecret: d.CLAUDE_POOL_SECRET as string,
      selfToken: d.CODER_SELF_TOKEN as string,
      gitBotToken: d.GIT_BOT_TOKEN,
      capacity: d.CLAUDE_CAPACITY,
      workspaceId: d.CODER_WORKSPACE_ID,
      agentUrl: d.CODER_AGENT_URL,
      stateDir: d['--state-dir'],
      logDir,
      drainTimeoutMs: d['--drain-timeout-sec'] * 1000,
      runnerBinary: d['--runner-binary'],
      claudeBinary: d['--claude-binary'],
      baseDir: d['--base-dir'],
      permissionMode: d['--permission-mode'],
      healthPort: d['--health-port'],
      healthIntervalMs: d['--health-interval-sec'] * 1000,
      restart: {
        initialDelayMs: d['--restart-initial-sec'] * 1000,
        maxDelayMs: d['--restart-max-sec'] * 1000,
        shortRunMs: d['--short-run-sec'] * 1000,
        crashLoopThreshold: d['--crash-loop-threshold'],
      },
      quarantineMs: Math.round(d['--quarantine-min'] * 60_000),
      maxLifetimeMs: Math.round(d['--max-lifetime-min'] * 60_000),
      evictionDeadlineMs: d['--eviction-deadline-sec'] * 1000,
      evictionRetryBaseMs: d['--eviction-retry-base-ms'],
      evictionRequestTimeoutMs: d['--eviction-request-timeout-sec'] * 1000,
      dockerSocket: d['--docker-socket'],
    },
  };
}
