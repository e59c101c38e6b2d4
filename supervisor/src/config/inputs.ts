/**
 * The one table of inputs. Each row is one input, wherever it is given: the supervisor's flag
 * or environment variable, the module's Terraform variable (the CDKTF prop is its camelCase),
 * its kind, unit, range, default, help and README summary. What a kind means (validation, the
 * Terraform condition, the message, the construct's check) is in config/kinds/; rules between
 * inputs are `crossInputRules` below. The CLI parser, `--help`, variables.tf, main.tf's flag
 * maps, README's inputs table and the construct's props all come from here (`npm run generate`).
 */

export type InputScope =
  /** Taken by every command (`stop` and `status` need them to find the state). */
  | 'state'
  /** Taken by `start` and `run`. */
  | 'run'
  /** Only the Terraform module and the construct have it (the supervisor never sees it). */
  | 'module';

interface InputBase {
  /** The supervisor's flag, without the leading `--`. */
  flag?: string;
  /** The environment variable that carries it (the module's coder_env, or the Coder agent). */
  env?: string;
  /** The module's variable (the construct's prop is its camelCase). */
  variable?: string;
  scope: InputScope;
  help: string;
  /** Never printed, logged or quoted back; sensitive in Terraform. */
  sensitive?: boolean;
  /** An input of the registry module coder-labs/claude-self-hosted-runner: kept exactly as it has it. */
  registry?: boolean;
  /** The module's and the construct's error message, where the generated one will not do. */
  message?: string;
  /** README's inputs table: one short sentence (the module's variables only). */
  summary?: string;
  /** The Terraform modules that have its variable: the runner's (the root) by default. */
  modules?: readonly ModuleName[];
  /** The roles whose `start` and `run` read it (scope `run`): the runner's by default. */
  roles?: readonly RoleName[];
}

/** The two Terraform modules: the runner's (the repository root) and the orchestrator's (`orchestrator/`). */
export type ModuleName = 'runner' | 'orchestrator';
/** The programs that the supervisor can supervise (`--role`). */
export type RoleName = 'runner' | 'orchestrator';
export const roleNames = ['runner', 'orchestrator'] as const;
/** The bundle in module/ that carries each role: a bundle per module (scripts/build-bundle.mjs). */
export const roleBundles: Record<RoleName, string> = { runner: 'supervisor.cjs', orchestrator: 'orchestrator.cjs' };

/** The modules of an input's variable, and the roles that read it. */
export const modulesOf = (spec: InputSpec): readonly ModuleName[] => spec.modules ?? ['runner'];
export const rolesOf = (spec: InputSpec): readonly RoleName[] => spec.roles ?? ['runner'];

/** A whole number (or, with `decimal`, any number) within a range, in `unit`. */
export interface NumberInput extends InputBase {
  kind: 'number';
  unit?: 'ms' | 's' | 'min';
  min: number;
  max: number;
  default?: number;
  decimal?: boolean;
  /** No value means the option is off: nothing is passed. */
  optional?: boolean;
  /** Said after the range in the error message: why the bound is where it is. */
  why?: string;
  /** The registry module's own rule (a range without the whole-number check), kept as it is. */
  registryRule?: boolean;
}

/** An absolute path; `homeDefault` is relative to $HOME, `shellDefault` the same as a shell word. */
export interface PathInput extends InputBase {
  kind: 'path';
  default?: string;
  /** The default under $HOME (a path relative to it), resolved at run time. */
  homeDefault?: string;
  /** The default under ${XDG_STATE_HOME:-$HOME/.local/state} (a path relative to it). */
  stateHomeDefault?: string;
  /** The default as the rendered scripts spell it (double-quoted so the shell expands $HOME). */
  shellDefault?: string;
  /** The default in words, for help and error messages. */
  defaultText?: string;
  /** A directory that must lie on a real file system (not under /proc, /sys or /dev). */
  realFileSystem?: boolean;
}

export interface ChoiceInput extends InputBase {
  kind: 'choice';
  choices: readonly string[];
  default: string;
}

export interface TextInput extends InputBase {
  /**
   * secret: one line, never echoed; uuid; url: http(s); https-url: https without a user or
   * password; command: a name on PATH or a path; id: free text; label: one printable line.
   */
  kind: 'secret' | 'uuid' | 'url' | 'https-url' | 'command' | 'id' | 'label' | 'username' | 'slug';
  required?: boolean;
  /**
   * Required only where the table's crossInputRules say (pool_secret, in pool mode and for the
   * orchestrator): the module still has no default for it, and the supervisor asks the rules.
   */
  conditional?: boolean;
  /** slug: at most this many characters. */
  maxLength?: number;
  default?: string;
  /** What to do when it is missing. */
  hint?: string;
  /** Sent as an HTTP header value: printable ASCII only, or every request would fail later. */
  headerSafe?: boolean;
}

/** A list of words, given as a repeated flag; none may be one of `forbidden` (or `--flag=...`). */
export interface ListInput extends InputBase {
  kind: 'list';
  forbidden: readonly string[];
}

export type InputSpec = NumberInput | PathInput | ChoiceInput | TextInput | ListInput;

/** Runner flags that the supervisor owns: an operator's extra arguments may not set them. */
export const supervisorOwnedRunnerFlags = [
  '--environment-secret-file',
  '--pool-secret-file',
  '--exec-path',
  '--base-dir',
  '--health-port',
  '--capacity',
  '--log-file',
  '--retire-at',
  '--drain-marker-file',
  '--client-label',
  '--drain-wait-sec',
  '--release-idle-session-min',
  '--kill-session-after-min',
  '--exit-if-unused-min',
  '--hooks-dir',
  '--agent-proxy-url',
  '--log-level',
  '--api-url',
] as const;

export const permissionModes = ['bypassPermissions', 'auto', 'acceptEdits', 'default', 'dontAsk', 'plan'] as const;
export type PermissionMode = (typeof permissionModes)[number];

/** A runner watchdog in minutes: off unless set, at most the runner's week. */
const runnerMinutesWatchdog = {
  kind: 'number',
  scope: 'run',
  unit: 'min',
  min: 1,
  max: 10_080,
  optional: true,
  why: "the runner's maximum is a week",
} as const;

export const inputs = {
  // --- The registry module's inputs (same names, types, defaults and sensitivity).
  agentId: {
    modules: ['runner', 'orchestrator'],
    registry: true,
    kind: 'id',
    variable: 'agent_id',
    summary: 'The `coder_agent` that runs the runner.',
    scope: 'module',
    required: true,
    help: 'The ID of the coder_agent that runs the runner (coder_agent.main.id).',
  },
  workspaceId: {
    registry: true,
    kind: 'uuid',
    env: 'CODER_WORKSPACE_ID',
    variable: 'workspace_id',
    summary: '`data.coder_workspace.me.id`: the workspace that self-evicts.',
    scope: 'run',
    required: true,
    hint: 'the module passes data.coder_workspace.me.id',
    help: 'data.coder_workspace.me.id of the parent template: the workspace the supervisor deletes (self-eviction) when the runner is done.',
  },
  poolSecret: {
    modules: ['runner', 'orchestrator'],
    roles: ['runner', 'orchestrator'],
    conditional: true,
    registry: true,
    kind: 'secret',
    env: 'CLAUDE_POOL_SECRET',
    variable: 'pool_secret',
    summary: "The self-hosted environment's secret; reaches the runner only as a 0400 file path.",
    scope: 'run',
    required: true,
    sensitive: true,
    hint: "set the module's pool_secret input (the self-hosted environment's secret)",
    help: 'Secret of the Claude Code self-hosted environment (from claude.ai). Written to a 0400 file and passed to the runner (or the orchestrator) only as a file path. In on-demand mode a runner workspace never has it: set it to "" there; the orchestrator holds it.',
  },
  selfEvictToken: {
    registry: true,
    kind: 'secret',
    env: 'CODER_SELF_TOKEN',
    variable: 'self_evict_token',
    summary: 'The scoped token above.',
    scope: 'run',
    required: true,
    headerSafe: true,
    sensitive: true,
    hint: "set the module's self_evict_token input (a token scoped to this workspace; see README)",
    help: "Per-workspace Coder API token with scopes workspace:read, workspace:delete, template:read and user:read_personal, allow-listed to workspace:<this workspace's id>. Used only to delete this workspace.",
  },
  gitBotToken: {
    registry: true,
    kind: 'secret',
    env: 'GIT_BOT_TOKEN',
    variable: 'git_bot_token',
    summary: 'Optional bot git token; `core.askPass` prints it from the environment.',
    scope: 'run',
    sensitive: true,
    default: '',
    help: "Optional git token of a bot identity. When set, git's core.askPass prints it from the environment, so sessions can push without credentials in the image.",
  },
  capacity: {
    registry: true,
    kind: 'number',
    env: 'CLAUDE_CAPACITY',
    variable: 'capacity',
    summary: 'Sessions at once, 1 to 16.',
    scope: 'run',
    min: 1,
    max: 16,
    default: 4,
    registryRule: true,
    message: 'capacity must be between 1 and 16.',
    help: "Maximum sessions the runner serves at once. The runner locks to one user, so this caps parallelism within that user's queue.",
  },
  runnerBinary: {
    modules: ['runner', 'orchestrator'],
    roles: ['runner', 'orchestrator'],
    registry: true,
    kind: 'path',
    flag: 'runner-binary',
    variable: 'runner_binary_path',
    summary: 'The `claude` that provides `self-hosted-runner`.',
    scope: 'run',
    default: '/usr/local/bin/claude',
    help: 'Path of the `claude` binary that provides `claude self-hosted-runner` (Claude Code >= 2.1.224) inside the workspace.',
  },
  claudeBinary: {
    registry: true,
    kind: 'path',
    flag: 'claude-binary',
    variable: 'claude_binary_path',
    summary: 'The Claude Code binary that the session wrapper execs.',
    scope: 'run',
    default: '/opt/claude/claude',
    help: 'Path of the Claude Code binary that the per-session wrapper execs.',
  },
  order: {
    modules: ['runner', 'orchestrator'],
    registry: true,
    kind: 'number',
    variable: 'order',
    summary: 'Metadata items get `order`, `order+1`, ...',
    scope: 'module',
    min: -1_000_000,
    max: 1_000_000,
    help: "Order of the runner's items in the agent UI: the metadata items get order, order+1, ... (null leaves Coder's default).",
  },

  // --- Inputs of this module only: optional, with safe defaults.
  nodeBinary: {
    modules: ['runner', 'orchestrator'],
    kind: 'command',
    variable: 'node_binary_path',
    summary: 'Node.js >= 20 that runs the supervisor.',
    scope: 'module',
    default: 'node',
    help: 'Node.js (>= 20) that runs the supervisor: a command on PATH or an absolute path.',
  },
  supervisorPath: {
    modules: ['runner', 'orchestrator'],
    kind: 'path',
    variable: 'supervisor_path',
    summary:
      "A supervisor bundle pre-installed in the image, instead of the embedded one (the module's own: `module/supervisor.cjs` for the runner, `module/orchestrator.cjs` for the orchestrator).",
    scope: 'module',
    defaultText: 'the bundle embedded in the launcher',
    help: 'Absolute path of a supervisor bundle pre-installed in the image. When set, the launcher runs it instead of writing the bundle embedded in the script (a much smaller script).',
  },
  permissionMode: {
    kind: 'choice',
    flag: 'permission-mode',
    variable: 'permission_mode',
    summary: 'Forced last on every session: `bypassPermissions`, `auto`, `acceptEdits`, `default`, `dontAsk`, `plan`.',
    scope: 'run',
    choices: permissionModes,
    default: 'bypassPermissions',
    help: "Permission mode that the session wrapper forces after the runner's flags (last one wins). bypassPermissions (the registry module's behaviour) never stalls an unattended session on a prompt.",
  },
  stateDir: {
    modules: ['runner', 'orchestrator'],
    kind: 'path',
    flag: 'state-dir',
    variable: 'state_dir',
    summary:
      'Supervisor state, secret file, wrapper, dashboard files; `null` is `${XDG_STATE_HOME:-$HOME/.local/state}/claude-self-hosted-runner` (never under `~/.claude`, which the runner seeds into sessions).',
    scope: 'state',
    realFileSystem: true,
    stateHomeDefault: 'claude-self-hosted-runner',
    shellDefault: '"${XDG_STATE_HOME:-$HOME/.local/state}/claude-self-hosted-runner"',
    defaultText: '${XDG_STATE_HOME:-$HOME/.local/state}/claude-self-hosted-runner',
    help: "Absolute directory where the supervisor keeps its state, secret file, wrapper and dashboard files (0700). Never under the runner's host-config dir (~/.claude), which the runner seeds into every session.",
  },
  logDir: {
    modules: ['runner', 'orchestrator'],
    kind: 'path',
    flag: 'log-dir',
    variable: 'log_dir',
    summary: 'Supervisor and runner logs; `null` is `<state_dir>/logs`.',
    scope: 'state',
    realFileSystem: true,
    defaultText: '<state_dir>/logs',
    help: "Absolute directory for the supervisor's and the runner's logs.",
  },
  baseDir: {
    kind: 'path',
    flag: 'base-dir',
    variable: 'runner_base_dir',
    summary: "The runner's `--base-dir`, checked for writability first; `null` is `$HOME/workspace`.",
    scope: 'run',
    homeDefault: 'workspace',
    shellDefault: '"$HOME/workspace"',
    defaultText: '$HOME/workspace',
    help: "The runner's --base-dir, where sessions get their working directories. It must be writable by the workspace user (the supervisor checks it first).",
  },
  healthPort: {
    modules: ['runner', 'orchestrator'],
    roles: ['runner', 'orchestrator'],
    kind: 'number',
    flag: 'health-port',
    variable: 'health_port',
    summary: "The runner's local `/healthz` and `/metrics` port.",
    scope: 'run',
    min: 1,
    max: 65_535,
    default: 8080,
    why: 'the supervisor needs the health endpoint, so 0 is not allowed',
    help: "Local port of the runner's /healthz and /metrics (127.0.0.1), which the supervisor polls.",
  },
  healthIntervalSec: {
    modules: ['runner', 'orchestrator'],
    roles: ['runner', 'orchestrator'],
    kind: 'number',
    flag: 'health-interval-sec',
    variable: 'health_interval_seconds',
    summary: 'How often the supervisor polls `/healthz` (the lock is seen at once through the session wrapper).',
    scope: 'run',
    unit: 's',
    min: 1,
    max: 300,
    default: 10,
    help: "How often the supervisor polls the runner's /healthz (active sessions, runner ID, last poll). The lock does not wait for it: the session wrapper records it at once.",
  },
  restartInitialSec: {
    modules: ['runner', 'orchestrator'],
    roles: ['runner', 'orchestrator'],
    kind: 'number',
    flag: 'restart-initial-sec',
    variable: 'restart_initial_delay_seconds',
    summary: 'First restart delay after a crash.',
    scope: 'run',
    unit: 's',
    min: 1,
    max: 3600,
    default: 5,
    help: 'Delay before restarting a runner that crashed before any session; doubled after every run shorter than short_run_seconds.',
  },
  restartMaxSec: {
    modules: ['runner', 'orchestrator'],
    roles: ['runner', 'orchestrator'],
    kind: 'number',
    flag: 'restart-max-sec',
    variable: 'restart_max_delay_seconds',
    summary: 'Cap of the doubling restart delay.',
    scope: 'run',
    unit: 's',
    min: 1,
    max: 86_400,
    default: 300,
    help: 'Cap of the restart delay.',
  },
  shortRunSec: {
    modules: ['runner', 'orchestrator'],
    roles: ['runner', 'orchestrator'],
    kind: 'number',
    flag: 'short-run-sec',
    variable: 'short_run_seconds',
    summary:
      'Runs shorter than this double the delay and count toward a crash loop; at least 30 (a failed registration takes about 16 s).',
    scope: 'run',
    unit: 's',
    min: 30,
    max: 86_400,
    default: 60,
    why: 'the runner gives up an unreachable registration after about 16 s, so a shorter threshold would never see a crash loop',
    help: 'A runner run shorter than this counts as a short run: it doubles the restart delay and counts toward a crash loop. A longer run resets both.',
  },
  crashLoopThreshold: {
    modules: ['runner', 'orchestrator'],
    roles: ['runner', 'orchestrator'],
    kind: 'number',
    flag: 'crash-loop-threshold',
    variable: 'crash_loop_threshold',
    summary: 'Short crashes in a row that stop restarts (no self-eviction).',
    scope: 'run',
    min: 2,
    max: 100,
    default: 5,
    help: 'Short crashed runs in a row that make a crash loop: the supervisor stops restarting, does not self-evict, and shows the reason.',
  },
  quarantineMin: {
    modules: ['runner', 'orchestrator'],
    roles: ['runner', 'orchestrator'],
    kind: 'number',
    flag: 'quarantine-min',
    variable: 'quarantine_minutes',
    summary: 'Wait before a crash-looping workspace self-evicts; 0 is never.',
    scope: 'run',
    unit: 'min',
    decimal: true,
    min: 0,
    max: 525_600,
    default: 60,
    why: '0 means never, 525600 is a year',
    help: 'How long a crash-looping (or misconfigured) workspace waits before it self-evicts, so a broken host cannot hold a pool slot forever. 0 means never.',
  },
  maxLifetimeMin: {
    kind: 'number',
    flag: 'max-lifetime-min',
    variable: 'max_lifetime_minutes',
    summary: 'Optional retirement (`--retire-at`), then self-eviction; 0 is no limit.',
    scope: 'run',
    unit: 'min',
    decimal: true,
    min: 0,
    max: 525_600,
    default: 0,
    why: '0 means no limit',
    help: 'Optional maximum lifetime: passed to the runner as --retire-at, so it retires cleanly and the workspace self-evicts (fresh images). 0 means no limit. Keep a prebuild ttl above this plus the drain budget.',
  },
  maxLockedMin: {
    kind: 'number',
    flag: 'max-locked-min',
    variable: 'max_locked_minutes',
    scope: 'run',
    unit: 'min',
    decimal: true,
    min: 0.1,
    max: 10_080,
    default: 1440,
    why: "a locked workspace always has a cap; the runner's own watchdogs stop at a week",
    help: "Hard cap on how long a runner, and so a locked workspace, may live: passed as --retire-at (the runner releases its sessions, which resume on a fresh runner at the user's next message, and exits), then self-eviction. A runner still alive as long again after it (at most 15 min more) is killed. An idle runner that reaches it is replaced, not evicted.",
  },
  runnerUnresponsiveSec: {
    kind: 'number',
    flag: 'runner-unresponsive-sec',
    variable: 'runner_unresponsive_seconds',
    scope: 'run',
    unit: 's',
    min: 10,
    max: 86_400,
    default: 900,
    why: 'a working runner answers /healthz at once and polls Anthropic every few seconds',
    help: 'A live runner whose /healthz has not answered, or whose last poll of Anthropic is older, for this long no longer works: it is killed with every process of the runner user, then a locked workspace self-evicts and an unlocked one restarts. A stopped runner (state T) is killed at the next health poll.',
  },
  drainTimeoutSec: {
    kind: 'number',
    flag: 'drain-timeout-sec',
    variable: 'drain_timeout_seconds',
    summary:
      "The runner's stop budget before its process group is killed; at least 100 (the runner's 80 s plus 20 s for a release in flight). The stop waits this plus `drain_wait_seconds`.",
    scope: 'state',
    unit: 's',
    min: 100,
    max: 86_400,
    default: 180,
    why: 'the runner needs up to 80 s to stop plus up to 20 s for a release in flight, so less would cut sessions off',
    help: "How long a stop waits for the runner to drain after its one SIGTERM before it kills the runner's process group. Must exceed the runner's own drain budget.",
  },
  evictionDeadlineSec: {
    kind: 'number',
    flag: 'eviction-deadline-sec',
    variable: 'eviction_deadline_seconds',
    summary: 'How long self-eviction keeps retrying.',
    scope: 'run',
    unit: 's',
    min: 10,
    max: 86_400,
    default: 1800,
    help: 'How long self-eviction keeps retrying (network errors, 5xx, 429, an active build) before it gives up and shows the error.',
  },

  // --- Supervisor-only tuning (not module variables).
  evictionRetryBaseMs: {
    kind: 'number',
    flag: 'eviction-retry-base-ms',
    scope: 'run',
    unit: 'ms',
    min: 10,
    max: 60_000,
    default: 1000,
    help: 'Base of the full-jitter eviction retry delays; an active build is re-checked every 5x this.',
  },
  evictionRequestTimeoutSec: {
    roles: ['runner', 'orchestrator'],
    kind: 'number',
    flag: 'eviction-request-timeout-sec',
    scope: 'run',
    unit: 's',
    min: 1,
    max: 300,
    default: 15,
    help: 'Timeout of one Coder API request, the whole exchange.',
  },
  dockerSocket: {
    kind: 'path',
    flag: 'docker-socket',
    scope: 'run',
    default: '/var/run/docker.sock',
    help: "Docker socket whose group is fixed (sudo -n chgrp) when it differs from the image's docker group.",
  },
  // --- Options of the runner (claude self-hosted-runner --help), passed through by the supervisor.
  clientLabel: {
    kind: 'label',
    flag: 'client-label',
    variable: 'client_label',
    summary:
      "The runner's `--client-label` in the Anthropic console; `null` is `<owner>/<workspace>` from the agent's environment.",
    scope: 'run',
    help: "The runner's --client-label, shown beside it in the Anthropic console. null means <owner>/<workspace> from the Coder agent's CODER_WORKSPACE_OWNER_NAME and CODER_WORKSPACE_NAME.",
  },
  releaseIdleSessionMin: {
    kind: 'number',
    flag: 'release-idle-session-min',
    variable: 'release_idle_session_minutes',
    summary:
      '`--release-idle-session-min`: release a session whose user went idle; the runner exits and the workspace self-evicts.',
    scope: 'run',
    unit: 'min',
    min: 0,
    max: 10_080,
    optional: true,
    why: "the runner's maximum is a week",
    help: "The runner's --release-idle-session-min: a session whose user gave no input for this long is released; a runner left with none exits, and the locked workspace self-evicts. null leaves the runner's default (Anthropic's control plane may send an idle limit); 0 never releases.",
  },
  drainWaitSec: {
    kind: 'number',
    flag: 'drain-wait-sec',
    variable: 'drain_wait_seconds',
    summary: "`--drain-wait-sec`: on a stop, turns in flight get this long first; added to the stop's budget.",
    scope: 'state',
    unit: 's',
    min: 0,
    max: 86_400,
    default: 0,
    help: "The runner's --drain-wait-sec: on a stop, each session's turn in flight gets this long to finish first. It is added to drain_timeout_seconds for the stop's whole budget.",
  },
  killSessionAfterMin: {
    ...runnerMinutesWatchdog,
    flag: 'kill-session-after-min',
    variable: 'kill_session_after_minutes',
    summary: '`--kill-session-after-min`: a backstop for runaway sessions.',
    help: "The runner's --kill-session-after-min: a backstop for runaway sessions (released, resumable, at the deadline). null is off.",
  },
  exitIfUnusedMin: {
    ...runnerMinutesWatchdog,
    flag: 'exit-if-unused-min',
    variable: 'exit_if_unused_minutes',
    summary: '`--exit-if-unused-min`: a runner never assigned work exits and the workspace is recycled.',
    help: "The runner's --exit-if-unused-min: a runner never assigned work for this long exits, and the workspace self-evicts (the pool gets a fresh one). null is off.",
  },
  hooksDir: {
    kind: 'path',
    flag: 'hooks-dir',
    variable: 'hooks_dir',
    summary: '`--hooks-dir`: lifecycle hooks (checkout, command, post-session) in the image.',
    scope: 'run',
    defaultText: "no hooks (the runner's built-in behaviour)",
    help: "The runner's --hooks-dir: a directory in the image with lifecycle hook scripts (checkout, command, post-session).",
  },
  agentProxyUrl: {
    modules: ['runner', 'orchestrator'],
    roles: ['runner', 'orchestrator'],
    kind: 'https-url',
    flag: 'agent-proxy-url',
    variable: 'agent_proxy_url',
    summary: '`--agent-proxy-url`: all session traffic through this `https://` proxy.',
    scope: 'run',
    help: "The runner's --agent-proxy-url: every session's traffic goes through the agent proxy at this https:// URL (no user name or password). null is off.",
  },
  runnerLogLevel: {
    modules: ['runner', 'orchestrator'],
    roles: ['runner', 'orchestrator'],
    kind: 'choice',
    flag: 'runner-log-level',
    variable: 'runner_log_level',
    summary: '`--log-level`: `info` or `debug`.',
    scope: 'run',
    choices: ['info', 'debug'],
    default: 'info',
    help: "The runner's --log-level.",
  },
  extraRunnerArgs: {
    kind: 'list',
    flag: 'extra-runner-arg',
    variable: 'extra_runner_args',
    summary:
      'Anything else for `claude self-hosted-runner`; flags owned by the supervisor or by an input above are refused.',
    scope: 'run',
    forbidden: supervisorOwnedRunnerFlags,
    help: 'More arguments for claude self-hosted-runner, passed through as they are. The flags that the supervisor or another input sets (the secret, exec path, base dir, health port, capacity, log file, and the options above) are refused.',
  },
  agentUrl: {
    roles: ['runner', 'orchestrator'],
    kind: 'url',
    env: 'CODER_AGENT_URL',
    scope: 'run',
    required: true,
    hint: 'the Coder agent sets it',
    help: "The Coder deployment's URL, set by the Coder agent: where the delete build is posted.",
  },

  // --- Isolation (issue 13): the runner and its sessions under a Unix user of their own.
  runnerUser: {
    kind: 'username',
    flag: 'runner-user',
    variable: 'runner_user',
    summary:
      'The Unix user the runner runs as, created at start (needs root or passwordless sudo); its sessions run as a second one, `<runner_user>-session`; `"none"` turns isolation off. See [docs/isolation.md](docs/isolation.md).',
    scope: 'run',
    default: 'claude-runner',
    help: 'Unix user that the runner runs as, created by the module at start (needs root or passwordless sudo; without either the runner runs as the workspace user and the dashboard says "isolation: off (no sudo)"). Every session runs as a second user, <runner_user>-session, made the same way and switched to through sudo (without sudo in the image, sessions run as the runner user). It must be dedicated: a user the module did not create, one with sudo rights, root, the workspace user and nobody are refused (exit 78). "none" turns isolation off. See docs/isolation.md.',
  },
  runnerDockerAccess: {
    kind: 'choice',
    flag: 'runner-docker-access',
    variable: 'runner_docker_access',
    scope: 'run',
    choices: ['off', 'on'],
    default: 'off',
    help: 'Whether sessions may use the docker socket: "on" adds the session user (the runner user where there is none) to the group that owns the socket. That group is root on the host, so isolation is then only partial and the dashboard says "isolation: partial: docker". See docs/isolation.md.',
  },

  // --- On-demand mode (issue 19): one runner workspace per session, created by the orchestrator.
  runnerMode: {
    kind: 'choice',
    flag: 'mode',
    variable: 'runner_mode',
    summary:
      '`pool` (every workspace polls with the environment secret) or `on-demand` (each workspace serves the one session of its work order).',
    scope: 'run',
    choices: ['pool', 'on-demand'],
    default: 'pool',
    help: "pool: the workspace registers a runner with the environment secret and serves sessions as they come (the registry module's way). on-demand: the orchestrator creates the workspace for one session, with a work order; the environment secret stays on the orchestrator.",
  },
  workOrder: {
    kind: 'secret',
    env: 'CLAUDE_WORK_ORDER',
    variable: 'work_order',
    summary:
      "On-demand: the session's single-use work order, from an ephemeral, mutable `coder_parameter` (empty in a prebuild).",
    scope: 'run',
    sensitive: true,
    help: "On-demand mode: the work order that the orchestrator's spawn-runner hook put into the create request, as the build parameter of an ephemeral, mutable coder_parameter (empty in a prebuild). The runner registers with it where the environment secret would go; it is spent after one registration.",
  },
  orderWaitMin: {
    kind: 'number',
    flag: 'order-wait-min',
    variable: 'order_wait_minutes',
    summary:
      'On-demand: how long a workspace with no work order waits before it self-evicts; 0 waits forever (set it so for prebuilds).',
    scope: 'run',
    unit: 'min',
    decimal: true,
    min: 0,
    max: 10_080,
    default: 10,
    why: "0 waits forever, as a prebuild must; anything else should exceed the orchestrator's expected_spawn_seconds",
    help: "On-demand mode: a workspace that has no work order waits this long, then self-evicts (an orphan must not hold a slot). A prebuild waits to be claimed: give it 0 (data.coder_workspace.me.is_prebuild ? 0 : 10). Keep it above the orchestrator's lease (expected_spawn_seconds), after which Anthropic asks for a fresh workspace anyway.",
  },

  // --- The orchestrator (the orchestrator/ sub-module): `claude self-hosted-runner orchestrator`.
  role: {
    kind: 'choice',
    flag: 'role',
    scope: 'run',
    roles: ['runner', 'orchestrator'],
    choices: roleNames,
    default: 'runner',
    help: 'What the supervisor runs: the runner (the root module) or the orchestrator (the orchestrator/ sub-module). Each module passes its own.',
  },
  coderToken: {
    kind: 'secret',
    env: 'CODER_SPAWN_TOKEN',
    variable: 'coder_token',
    summary:
      'A token of the runner-owner account (a dedicated plain member): the spawn-runner hook creates runner workspaces with it.',
    modules: ['orchestrator'],
    roles: ['orchestrator'],
    scope: 'run',
    required: true,
    headerSafe: true,
    sensitive: true,
    hint: "set the orchestrator module's coder_token input (a token of the runner-owner account)",
    help: 'Coder API token of the account that owns the runner workspaces (a dedicated plain member, never a person): the spawn-runner hook creates one workspace per spawn request with it. It is written to a 0400 file for the hook, never into an environment or onto a command line.',
  },
  runnerOwner: {
    kind: 'label',
    flag: 'runner-owner',
    variable: 'runner_owner',
    summary: "The owner of the runner workspaces: `me` (the token's user) or a user name.",
    modules: ['orchestrator'],
    roles: ['orchestrator'],
    scope: 'run',
    default: 'me',
    help: 'Whose runner workspaces the hook creates: "me" (the coder_token\'s own user, the simplest set-up) or a user name that the token may create workspaces for.',
  },
  runnerTemplate: {
    kind: 'label',
    flag: 'runner-template',
    variable: 'runner_template',
    summary: 'The on-demand runner template (its name).',
    modules: ['orchestrator'],
    roles: ['orchestrator'],
    scope: 'run',
    required: true,
    hint: "set the orchestrator module's runner_template input",
    help: 'Name of the template of the on-demand runner workspaces (the root module with runner_mode = "on-demand"). Its active version is used.',
  },
  runnerPreset: {
    kind: 'label',
    flag: 'runner-preset',
    variable: 'runner_preset',
    summary: 'The preset of that template whose prebuilds are the warm buffer; `null` is always a fresh build.',
    modules: ['orchestrator'],
    roles: ['orchestrator'],
    scope: 'run',
    help: "Name of the runner template's preset: a create with it claims a ready prebuild of that preset (Premium), or builds fresh. null creates without a preset.",
  },
  runnerOrganization: {
    kind: 'label',
    flag: 'runner-organization',
    variable: 'runner_organization',
    summary: 'The organization of the runner template.',
    modules: ['orchestrator'],
    roles: ['orchestrator'],
    scope: 'run',
    default: 'default',
    help: 'The Coder organization of the runner template, by name ("default" is the default organization).',
  },
  workOrderParameter: {
    kind: 'label',
    flag: 'work-order-parameter',
    variable: 'work_order_parameter',
    summary: "The runner template's parameter that carries the work order.",
    modules: ['orchestrator'],
    roles: ['orchestrator'],
    scope: 'run',
    default: 'work_order',
    help: "Name of the runner template's coder_parameter (ephemeral, mutable, string) that carries the work order into the workspace.",
  },
  workspaceNamePrefix: {
    kind: 'slug',
    flag: 'workspace-name-prefix',
    variable: 'workspace_name_prefix',
    summary: 'Runner workspaces are named `<prefix>-<16 hex of the order id>`.',
    modules: ['orchestrator'],
    roles: ['orchestrator'],
    scope: 'run',
    default: 'claude-run',
    maxLength: 15,
    help: 'Runner workspaces are named <prefix>-<16 hex digits of a hash of the order id> (32 characters at most): the same request twice finds its workspace.',
  },
  minIdle: {
    kind: 'number',
    flag: 'min-idle',
    variable: 'min_idle',
    summary: '`--min-idle`: standby workspaces (no session yet) the orchestrator keeps asked for.',
    modules: ['orchestrator'],
    roles: ['orchestrator'],
    scope: 'run',
    min: 0,
    max: 200,
    default: 0,
    help: "The orchestrator's --min-idle: Anthropic mints standby work orders (no session binding) so that this many idle runners wait; each becomes a workspace that serves the next queued session.",
  },
  hookConcurrency: {
    kind: 'number',
    flag: 'hook-concurrency',
    variable: 'hook_concurrency',
    summary: '`--hook-concurrency`: spawn-runner hooks at once (also caps the requests claimed per poll).',
    modules: ['orchestrator'],
    roles: ['orchestrator'],
    scope: 'run',
    min: 1,
    max: 64,
    default: 4,
    help: "The orchestrator's --hook-concurrency: how many spawn-runner hooks run at once.",
  },
  hookTimeoutSec: {
    kind: 'number',
    flag: 'hook-timeout-sec',
    variable: 'hook_timeout_seconds',
    summary:
      '`--hook-timeout`: a hook still running is stopped (a retryable failure); the stop budget follows from it.',
    modules: ['orchestrator'],
    roles: ['orchestrator'],
    scope: 'run',
    unit: 's',
    min: 10,
    max: 600,
    default: 60,
    help: "The orchestrator's --hook-timeout (SIGTERM, then SIGKILL 5 s later). The hook's own deadline is 5 s less; the orchestrator's --shutdown-drain-sec is this plus 10, and a stop waits that plus 15.",
  },
  expectedSpawnSec: {
    kind: 'number',
    flag: 'expected-spawn-sec',
    variable: 'expected_spawn_seconds',
    summary:
      '`--expected-spawn-seconds`: the lease; a runner not registered by then is asked for again with a fresh order.',
    modules: ['orchestrator'],
    roles: ['orchestrator'],
    scope: 'run',
    unit: 's',
    min: 10,
    max: 3600,
    default: 120,
    help: "The orchestrator's --expected-spawn-seconds: the p99 time from a spawn request to a registered runner. Past it, Anthropic re-requests the session with a fresh work order. Must exceed hook_timeout_seconds + 5.",
  },
} as const satisfies Record<string, InputSpec>;

export type InputName = keyof typeof inputs;

/** How an input is named in messages: its flag, else its environment variable, else its variable. */
export function inputLabel(spec: InputSpec): string {
  if (spec.flag) return `--${spec.flag}`;
  return spec.env ?? spec.variable ?? '?';
}

/** The construct's prop name of a module variable: its camelCase. */
export function propName(variable: string): string {
  return variable.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * A rule between inputs of the table, checked after each passed alone, by the supervisor, the
 * module (a precondition rendered into main.tf) and the construct (config/cross-rules.ts):
 * - `at-most`: `input` (plus `margin`) is at most `bound` (less than it, with `strict`);
 * - `when`: when `when.input` is `when.equals`, `then.input` must be set (`present`) or empty.
 */
export type CrossInputRule =
  | {
      kind: 'at-most';
      input: InputName;
      bound: InputName;
      margin?: number;
      strict?: boolean;
      /** The module's and the construct's message. */
      message: string;
    }
  | {
      kind: 'when';
      when: { input: InputName; equals: string };
      then: { input: InputName; present: boolean };
      message: string;
    };

export const crossInputRules: readonly CrossInputRule[] = [
  {
    kind: 'at-most',
    input: 'restartInitialSec',
    bound: 'restartMaxSec',
    message: 'restart_initial_delay_seconds must not exceed restart_max_delay_seconds.',
  },
  {
    kind: 'when',
    when: { input: 'runnerMode', equals: 'pool' },
    then: { input: 'poolSecret', present: true },
    message:
      'pool_secret is empty: in pool mode it is the self-hosted environment\'s secret; for on-demand set runner_mode = "on-demand" and work_order.',
  },
  {
    kind: 'when',
    when: { input: 'runnerMode', equals: 'on-demand' },
    then: { input: 'poolSecret', present: false },
    message:
      'pool_secret must be "" in on-demand mode: the environment secret stays on the orchestrator and never enters a runner workspace.',
  },
  {
    kind: 'when',
    when: { input: 'runnerMode', equals: 'pool' },
    then: { input: 'workOrder', present: false },
    message:
      'work_order is set but runner_mode is "pool": set runner_mode = "on-demand" (and pool_secret = "") to use it.',
  },
  {
    kind: 'when',
    when: { input: 'role', equals: 'orchestrator' },
    then: { input: 'poolSecret', present: true },
    message: "pool_secret is empty: the orchestrator needs the self-hosted environment's secret.",
  },
  {
    kind: 'at-most',
    input: 'hookTimeoutSec',
    bound: 'expectedSpawnSec',
    margin: 5,
    strict: true,
    message:
      'hook_timeout_seconds + 5 must be less than expected_spawn_seconds: the orchestrator refuses to start otherwise.',
  },
];
