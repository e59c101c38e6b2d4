import { Construct } from 'constructs';
import { Fn } from './cdk-lib';
import { Env } from './gen/coder/env';
import { Script } from './gen/coder/script';
import metadataItemSpecs from '../../module/orchestrator-metadata-items.json';
import {
  ModuleTemplates,
  metadataItems,
  planTimePreconditions,
  renderLauncher,
  renderStop,
  shellWordsOf,
  type AgentMetadataItem,
} from './module-scripts';
import { resolveOrchestratorProps, type OrchestratorProps } from './props';

export type { OrchestratorProps } from './props';

/**
 * The orchestrator's stop budget, as orchestrator/main.tf's `stop_budget_seconds`: its
 * --shutdown-drain-sec (the hook timeout plus 10 s) and 15 s more for the process manager, at
 * least the supervisor's floor of 100 s. The parity test plans both.
 */
export const orchestratorStopBudgetSec = (hookTimeoutSec: number): number => Math.max(100, hookTimeoutSec + 25);

/**
 * The orchestrator sub-module (orchestrator/) as a construct: the same coder_env and coder_script
 * resources with the same values as the HCL module, and its dashboard items for the orchestrator
 * workspace's coder_agent.
 */
export class ClaudeRunnerOrchestrator extends Construct {
  /** Seven items: connection, last spawn poll, spawn requests, standby orders, supervisor state, restarts, last error. */
  readonly agentMetadata: AgentMetadataItem[];
  readonly launcherScript: Script;
  readonly stopScript: Script;

  constructor(scope: Construct, id: string, props: OrchestratorProps) {
    super(scope, id);
    const p = resolveOrchestratorProps(props);
    const templates = new ModuleTemplates(this);

    // Fn.sensitive keeps the secrets sensitive in plans, as the module's sensitive variables do.
    new Env(this, 'environment_secret', {
      agentId: p.agentId,
      name: 'CLAUDE_POOL_SECRET',
      value: Fn.sensitive(p.poolSecret),
    });
    new Env(this, 'coder_token', { agentId: p.agentId, name: 'CODER_SPAWN_TOKEN', value: Fn.sensitive(p.coderToken) });

    const word = shellWordsOf(p);
    const stopBudget = orchestratorStopBudgetSec(p.hookTimeoutSeconds);
    // The module's checks of props that only a plan knows, as main.tf's preconditions are.
    const preconditions = planTimePreconditions(this, p, 'orchestrator');
    const checkedAtPlan = preconditions.length > 0 ? { lifecycle: { precondition: preconditions } } : {};
    this.launcherScript = new Script(this, 'orchestrator', {
      agentId: p.agentId,
      displayName: 'Claude runner orchestrator',
      icon: '/icon/claude.svg',
      runOnStart: true,
      startBlocksLogin: false,
      ...checkedAtPlan,
      script: renderLauncher(templates, {
        module: 'orchestrator',
        props: p,
        roleWords: { RUNNER_BINARY: word('runner_binary_path') },
        roleFlags: `--role orchestrator --runner-binary "$RUNNER_BINARY" --drain-timeout-sec ${stopBudget}`,
      }),
    });

    // One SIGTERM (it stops polling and gives the hooks in flight its --shutdown-drain-sec), then
    // the whole group after the stop's budget.
    this.stopScript = new Script(this, 'orchestrator_stop', {
      agentId: p.agentId,
      displayName: 'Claude runner orchestrator (stop)',
      icon: '/icon/claude.svg',
      runOnStop: true,
      timeout: stopBudget + 30,
      script: renderStop(templates, p, { timeoutSec: stopBudget, waitSec: 0 }),
    });

    this.agentMetadata = metadataItems(templates, p, metadataItemSpecs);
  }
}
