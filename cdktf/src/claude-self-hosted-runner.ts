import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Construct } from 'constructs';
import { AssetType, Fn, TerraformAsset, TerraformLocal, Token } from './cdk-lib';
import type { AgentMetadata } from './gen/coder/agent';
import { Env } from './gen/coder/env';
import { Script } from './gen/coder/script';
import { inputs, propName, type InputSpec } from '../../supervisor/src/config/inputs.js';
import { stopBudgetSec } from '../../supervisor/src/config/config.js';
import { launcherFlagInputs, launcherWordInputs } from '../../supervisor/src/config/module-rules.js';
import metadataItems from '../../module/metadata-items.json';
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
  // Terraform reads `${` in a string as an interpolation: a literal one must be escaped.
  return `'${value.replaceAll("'", "'\\''").replaceAll('${', () => '$${')}'`;
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
    env('work_order', 'CLAUDE_WORK_ORDER', Fn.sensitive(p.workOrder ?? ''));
    env('capacity', 'CLAUDE_CAPACITY', String(p.capacity));
    env('git_bot_token', 'GIT_BOT_TOKEN', Fn.sensitive(p.gitBotToken));
    env('self_token', 'CODER_SELF_TOKEN', Fn.sensitive(p.selfEvictToken));
    env('workspace_id', 'CODER_WORKSPACE_ID', p.workspaceId);

    /** A variable's value as the rendered scripts spell it, or its shell default. */
    const word = (variable: string): string => {
      const value = p[propName(variable) as keyof ResolvedProps];
      if (value !== undefined && value !== null) return shellWord(String(value));
      const spec = (Object.values(inputs) as InputSpec[]).find((s) => s.variable === variable);
      // Terraform reads `${` in a string as an interpolation: the shell's own must be escaped.
      return spec?.kind === 'path' ? (spec.shellDefault ?? '').replaceAll('${', () => '$${') : '';
    };
    const stateDirWord = word('state_dir');

    this.launcherScript = new Script(this, 'claude_runner', {
      agentId: p.agentId,
      displayName: 'Claude self-hosted runner',
      icon: '/icon/claude.svg',
      runOnStart: true,
      startBlocksLogin: false,
      script: templated('launcher', 'launch.sh.tftpl', {
        node_word: word('node_binary_path'),
        state_dir_word: stateDirWord,
        role_words: {
          RUNNER_BINARY: word('runner_binary_path'),
          CLAUDE_BINARY: word('claude_binary_path'),
          BASE_DIR: word('runner_base_dir'),
        },
        role_flags: `--runner-binary "$RUNNER_BINARY" --claude-binary "$CLAUDE_BINARY" --base-dir "$BASE_DIR" --runner-user ${word('runner_user')}`,
        optional_args: [
          ...launcherWordInputs()
            .filter(({ variable }) => word(variable) !== '')
            .map(({ flag, variable }) => `--${flag} ${word(variable)}`),
          ...p.extraRunnerArgs.map((arg) => `--extra-runner-arg=${shellWord(arg)}`),
        ].join(' '),
        supervisor_word: word('supervisor_path'),
        bundle_sha256: p.supervisorPath === undefined ? Fn.filesha256(file('supervisor.cjs')) : '',
        bundle_base64: p.supervisorPath === undefined ? Fn.filebase64(file('supervisor.cjs.br')) : '',
        flags: launcherFlagInputs()
          .map(({ flag, variable }) => [flag, p[propName(variable) as keyof ResolvedProps]] as const)
          .filter(([, value]) => value !== undefined)
          .map(([flag, value]) => `--${flag} ${String(value)}`)
          .join(' '),
      }),
    });

    this.stopScript = new Script(this, 'claude_runner_stop', {
      agentId: p.agentId,
      displayName: 'Claude self-hosted runner (stop)',
      icon: '/icon/claude.svg',
      runOnStop: true,
      timeout: stopBudgetSec(p.drainTimeoutSeconds, p.drainWaitSeconds) + 30,
      script: templated('stop', 'stop.sh.tftpl', {
        node_word: word('node_binary_path'),
        state_dir_word: stateDirWord,
        log_dir_word: word('log_dir'),
        supervisor_word: word('supervisor_path'),
        drain_timeout: p.drainTimeoutSeconds,
        drain_wait: p.drainWaitSeconds,
      }),
    });

    const readItem = (key: string): string =>
      `{ IFS= read -r v || [ -n "$v" ]; } 2>/dev/null <${stateDirWord}/items/${key} && printf '%s' "$v" || printf '?'`;
    const supervisorState = templated('supervisor_state', 'supervisor-state.sh.tftpl', {
      state_dir_word: stateDirWord,
    });
    const only = (output: string): RunnerMetadataItem[] =>
      metadataItems.flatMap((item, index) =>
        item.output === output
          ? [
              {
                displayName: item.display_name,
                key: item.key,
                interval: item.interval,
                timeout: item.timeout,
                order: p.order === undefined ? undefined : p.order + index,
                script: item.key === '4_supervisor_state' ? supervisorState : readItem(item.key),
              },
            ]
          : [],
      );
    this.agentMetadata = only('agent_metadata');
    this.supervisorMetadata = only('supervisor_metadata');
  }
}
