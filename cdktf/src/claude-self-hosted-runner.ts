import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Construct } from 'constructs';
import { AssetType, Fn, TerraformAsset, TerraformLocal, Token } from './cdk-lib';
import type { AgentMetadata } from './gen/coder/agent';
import { Env } from './gen/coder/env';
import { Script } from './gen/coder/script';
import { resolveProps, type ClaudeSelfHostedRunnerProps, type ResolvedProps } from './props';

export type { ClaudeSelfHostedRunnerProps } from './props';

/** The module's files (launcher and stop templates, the supervisor bundle), shipped as an asset. */
const moduleFiles = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'module');

/** One agent metadata item, in the shape of the generated coder_agent `metadata` block. */
export type RunnerMetadataItem = Required<
  Pick<AgentMetadata, 'displayName' | 'key' | 'interval' | 'timeout' | 'script'>
> &
  Pick<AgentMetadata, 'order'>;

/** A single-quoted shell word, for literal values and for tokens alike. */
function shellWord(value: string): string {
  if (Token.isUnresolved(value)) return `'${Fn.replace(value, "'", "'\\''")}'`;
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/**
 * The claude-self-hosted-runner module as a construct: the same coder_env and coder_script
 * resources with the same values as the HCL module, and the metadata items for a coder_agent.
 */
export class ClaudeSelfHostedRunner extends Construct {
  /** The registry module's four items: lock status, active sessions, runner ID, last poll. */
  readonly agentMetadata: RunnerMetadataItem[];
  /** The supervisor's items: state, restarts, last error. */
  readonly supervisorMetadata: RunnerMetadataItem[];
  readonly launcherScript: Script;
  readonly stopScript: Script;

  constructor(scope: Construct, id: string, props: ClaudeSelfHostedRunnerProps) {
    super(scope, id);
    const p = resolveProps(props);
    const files = new TerraformAsset(this, 'module-files', { path: moduleFiles, type: AssetType.DIRECTORY });
    const file = (name: string): string => `${files.path}/${name}`;
    /*
     * Template variables go through a Terraform local: its strings are written as JSON values,
     * which keep quotes and backslashes exact, where a literal inside a function call's
     * expression would not survive cdktf's escaping ('\'' and "$HOME/..." words need both).
     */
    const templated = (name: string, template: string, vars: Record<string, unknown>): string =>
      Fn.templatefile(file(template), new TerraformLocal(this, `${name}_vars`, vars).expression);

    const env = (name: string, envName: string, value: string): Env =>
      new Env(this, name, { agentId: p.agentId, name: envName, value });
    // Fn.sensitive keeps the secrets sensitive in plans, as the module's sensitive variables do.
    env('pool_secret', 'CLAUDE_POOL_SECRET', Fn.sensitive(p.poolSecret));
    env('capacity', 'CLAUDE_CAPACITY', String(p.capacity));
    env('git_bot_token', 'GIT_BOT_TOKEN', Fn.sensitive(p.gitBotToken));
    env('self_token', 'CODER_SELF_TOKEN', Fn.sensitive(p.selfEvictToken));
    env('workspace_id', 'CODER_WORKSPACE_ID', p.workspaceId);

    const stateDirWord = p.stateDir === undefined ? '"$HOME/.claude/self-hosted-runner"' : shellWord(p.stateDir);
    const logDirWord = p.logDir === undefined ? '' : shellWord(p.logDir);
    const supervisorWord = p.supervisorPath === undefined ? '' : shellWord(p.supervisorPath);

    this.launcherScript = new Script(this, 'claude_runner', {
      agentId: p.agentId,
      displayName: 'Claude self-hosted runner',
      icon: '/icon/claude.svg',
      runOnStart: true,
      startBlocksLogin: false,
      script: templated('launcher', 'launch.sh.tftpl', {
        node_word: shellWord(p.nodeBinaryPath),
        runner_binary_word: shellWord(p.runnerBinaryPath),
        claude_binary_word: shellWord(p.claudeBinaryPath),
        state_dir_word: stateDirWord,
        log_dir_word: logDirWord,
        base_dir_word: p.runnerBaseDir === undefined ? '"$HOME/workspace"' : shellWord(p.runnerBaseDir),
        supervisor_word: supervisorWord,
        bundle_sha256: p.supervisorPath === undefined ? Fn.filesha256(file('supervisor.cjs')) : '',
        bundle_base64gzip: p.supervisorPath === undefined ? Fn.base64gzip(Fn.file(file('supervisor.cjs'))) : '',
        flags: launcherFlags(p),
      }),
    });

    this.stopScript = new Script(this, 'claude_runner_stop', {
      agentId: p.agentId,
      displayName: 'Claude self-hosted runner (stop)',
      icon: '/icon/claude.svg',
      runOnStop: true,
      timeout: p.drainTimeoutSeconds + 30,
      script: templated('stop', 'stop.sh.tftpl', {
        node_word: shellWord(p.nodeBinaryPath),
        state_dir_word: stateDirWord,
        log_dir_word: logDirWord,
        supervisor_word: supervisorWord,
        drain_timeout: p.drainTimeoutSeconds,
      }),
    });

    const inStateDir = (name: string): string =>
      p.stateDir === undefined ? `"$HOME/.claude/self-hosted-runner/${name}"` : shellWord(`${p.stateDir}/${name}`);
    const itemsDir = inStateDir('items');
    const readItem = (key: string): string =>
      `{ IFS= read -r v || [ -n "$v" ]; } 2>/dev/null <${itemsDir}/${key} && printf '%s' "$v" || printf '?'`;
    const order = (i: number): number | undefined => (p.order === undefined ? undefined : p.order + i);
    const item = (
      i: number,
      displayName: string,
      key: string,
      interval: number,
      script?: string,
    ): RunnerMetadataItem => ({
      displayName,
      key,
      interval,
      timeout: 5,
      order: order(i),
      script: script ?? readItem(key),
    });
    this.agentMetadata = [
      item(0, 'Lock status', '0_lock_status', 10),
      item(1, 'Active sessions', '1_active_sessions', 5),
      item(2, 'Runner ID', '2_runner_id', 30),
      item(3, 'Last Anthropic poll', '3_last_poll', 15),
    ];
    this.supervisorMetadata = [
      item(
        4,
        'Runner supervisor',
        '4_supervisor_state',
        10,
        templated('supervisor_state', 'supervisor-state.sh.tftpl', {
          items_dir: itemsDir,
          lock_file: inStateDir('supervisor.lock'),
        }),
      ),
      item(5, 'Runner restarts', '5_restarts', 30),
      item(6, 'Runner last error', '6_last_error', 30),
    ];
  }
}

function launcherFlags(p: ResolvedProps): string {
  return [
    ['--permission-mode', p.permissionMode],
    ['--health-port', p.healthPort],
    ['--health-interval-sec', p.healthIntervalSeconds],
    ['--restart-initial-sec', p.restartInitialDelaySeconds],
    ['--restart-max-sec', p.restartMaxDelaySeconds],
    ['--short-run-sec', p.shortRunSeconds],
    ['--crash-loop-threshold', p.crashLoopThreshold],
    ['--quarantine-min', p.quarantineMinutes],
    ['--max-lifetime-min', p.maxLifetimeMinutes],
    ['--drain-timeout-sec', p.drainTimeoutSeconds],
    ['--eviction-deadline-sec', p.evictionDeadlineSeconds],
  ]
    .flat()
    .join(' ');
}
