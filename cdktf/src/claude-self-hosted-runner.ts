import { Construct } from 'constructs';
import { Fn } from './cdk-lib';
import { Env } from './gen/coder/env';
import { Script } from './gen/coder/script';
import { stopBudgetSec } from '../../supervisor/src/config/config.js';
import metadataItemSpecs from '../../module/metadata-items.json';
import {
  ModuleTemplates,
  metadataItems,
  numberWord,
  planTimePreconditions,
  renderLauncher,
  renderStop,
  shellWord,
  shellWordsOf,
  type AgentMetadataItem,
} from './module-scripts';
import { resolveProps, type ClaudeSelfHostedRunnerProps } from './props';

export type { ClaudeSelfHostedRunnerProps } from './props';

/** One agent metadata item, in the shape of the generated coder_agent `metadata` block. */
export type RunnerMetadataItem = AgentMetadataItem;

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
    const templates = new ModuleTemplates(this);

    const env = (name: string, envName: string, value: string): Env =>
      new Env(this, name, { agentId: p.agentId, name: envName, value });
    // Fn.sensitive keeps the secrets sensitive in plans, as the module's sensitive variables do.
    env('pool_secret', 'CLAUDE_POOL_SECRET', Fn.sensitive(p.poolSecret));
    env('work_order', 'CLAUDE_WORK_ORDER', Fn.sensitive(p.workOrder ?? ''));
    env('capacity', 'CLAUDE_CAPACITY', numberWord(p.capacity));
    env('git_bot_token', 'GIT_BOT_TOKEN', Fn.sensitive(p.gitBotToken));
    env('self_token', 'CODER_SELF_TOKEN', Fn.sensitive(p.selfEvictToken));
    env('workspace_id', 'CODER_WORKSPACE_ID', p.workspaceId);

    const word = shellWordsOf(p);
    // The module's checks of props that only a plan knows, as main.tf's preconditions are.
    const preconditions = planTimePreconditions(this, p, 'runner');
    const checkedAtPlan = preconditions.length > 0 ? { lifecycle: { precondition: preconditions } } : {};
    this.launcherScript = new Script(this, 'claude_runner', {
      agentId: p.agentId,
      displayName: 'Claude self-hosted runner',
      icon: '/icon/claude.svg',
      runOnStart: true,
      startBlocksLogin: false,
      ...checkedAtPlan,
      script: renderLauncher(templates, {
        module: 'runner',
        props: p,
        // The runner's own words: the rendered script shows both binary paths (a plan shows what runs).
        roleWords: {
          RUNNER_BINARY: word('runner_binary_path'),
          CLAUDE_BINARY: word('claude_binary_path'),
          BASE_DIR: word('runner_base_dir'),
        },
        roleFlags: `--runner-binary "$RUNNER_BINARY" --claude-binary "$CLAUDE_BINARY" --base-dir "$BASE_DIR" --runner-user ${word('runner_user')}`,
        extraArgs: p.extraRunnerArgs.map((arg) => `--extra-runner-arg=${shellWord(arg)}`),
      }),
    });

    this.stopScript = new Script(this, 'claude_runner_stop', {
      agentId: p.agentId,
      displayName: 'Claude self-hosted runner (stop)',
      icon: '/icon/claude.svg',
      runOnStop: true,
      timeout: stopBudgetSec(p.drainTimeoutSeconds, p.drainWaitSeconds) + 30,
      script: renderStop(templates, p, { timeoutSec: p.drainTimeoutSeconds, waitSec: p.drainWaitSeconds }),
    });

    const items = metadataItems(templates, p, metadataItemSpecs);
    const only = (output: string): RunnerMetadataItem[] =>
      items.filter((_item, index) => metadataItemSpecs[index]?.output === output);
    this.agentMetadata = only('agent_metadata');
    this.supervisorMetadata = only('supervisor_metadata');
  }
}
