import { Construct } from 'constructs';
import { App, Fn, LocalBackend, TerraformStack, TerraformVariable, Token } from '../../src/cdk-lib';
import { Agent } from '../../src/gen/coder/agent';
import { DataCoderParameter } from '../../src/gen/coder/data-coder-parameter';
import { DataCoderProvisioner } from '../../src/gen/coder/data-coder-provisioner';
import { DataCoderWorkspace } from '../../src/gen/coder/data-coder-workspace';
import { DataCoderWorkspacePreset } from '../../src/gen/coder/data-coder-workspace-preset';
import { CoderProvider } from '../../src/gen/coder/provider';
import {
  ClaudeRunnerOrchestrator,
  ClaudeSelfHostedRunner,
  type ClaudeSelfHostedRunnerProps,
  type OrchestratorProps,
} from '../../src/index';

export interface OnDemandRunnerTemplateOptions {
  /** Prebuilds kept waiting for a claim: the warm buffer (Premium). */
  warmWorkspaces?: number;
  /** Expiration ttl of an unclaimed prebuild; a claimed workspace is no longer a prebuild. */
  prebuildTtlSeconds?: number;
  /** How long a workspace built for a session waits for its work order. */
  orderWaitMinutes?: number;
  runner?: Partial<ClaudeSelfHostedRunnerProps>;
}

/**
 * The on-demand runner template in CDKTF (examples/on-demand/runner in HCL): the work order from
 * an ephemeral, mutable parameter that is empty in a prebuild, no environment secret, a prebuild
 * that waits for its claim without a bound, and a preset whose prebuilds are the warm buffer. The
 * self-evict token comes in as a sensitive variable: mint it per workspace (and again for the new
 * owner at a claim) as the HCL example does.
 */
export class OnDemandRunnerTemplate extends TerraformStack {
  readonly runner: ClaudeSelfHostedRunner;

  constructor(scope: Construct, id: string, options: OnDemandRunnerTemplateOptions = {}) {
    super(scope, id);
    stateInWorkingDirectory(this);
    new CoderProvider(this, 'coder');
    const selfEvictToken = new TerraformVariable(this, 'self_evict_token', {
      type: 'string',
      sensitive: true,
      description: 'The per-workspace scoped self-evict token.',
    });
    const provisioner = new DataCoderProvisioner(this, 'provisioner');
    const workspace = new DataCoderWorkspace(this, 'workspace');
    const workOrder = new DataCoderParameter(this, 'work_order', {
      name: 'work_order',
      displayName: 'Work order',
      description: "Set by the orchestrator's spawn-runner hook: the session's single-use work order. Leave it empty.",
      type: 'string',
      default: '',
      mutable: true,
      ephemeral: true,
    });
    new DataCoderWorkspacePreset(this, 'on_demand', {
      name: 'on-demand',
      prebuilds: {
        instances: options.warmWorkspaces ?? 2,
        expirationPolicy: { ttl: options.prebuildTtlSeconds ?? 86_400 },
      },
    });
    const agent = new Agent(this, 'main', { arch: provisioner.arch, os: 'linux' });
    this.runner = new ClaudeSelfHostedRunner(this, 'runner', {
      agentId: agent.id,
      workspaceId: workspace.id,
      runnerMode: 'on-demand',
      poolSecret: '',
      workOrder: workOrder.value,
      // Known only at plan time: the construct checks it there, as the module does.
      orderWaitMinutes: Token.asNumber(Fn.conditional(workspace.isPrebuild, 0, options.orderWaitMinutes ?? 10)),
      selfEvictToken: selfEvictToken.stringValue,
      capacity: 1,
      ...options.runner,
    });
    agent.putMetadata([...this.runner.agentMetadata, ...this.runner.supervisorMetadata]);
  }
}

/**
 * The orchestrator template in CDKTF (examples/on-demand/orchestrator in HCL): the construct with
 * the environment secret and the runner-owner account's token as sensitive variables, and its
 * dashboard on the agent.
 */
export class OrchestratorTemplate extends TerraformStack {
  readonly orchestrator: ClaudeRunnerOrchestrator;

  constructor(scope: Construct, id: string, options: Partial<OrchestratorProps> = {}) {
    super(scope, id);
    stateInWorkingDirectory(this);
    new CoderProvider(this, 'coder');
    const environmentSecret = new TerraformVariable(this, 'environment_secret', {
      type: 'string',
      sensitive: true,
      description: 'The secret of the Claude Code self-hosted environment. Only this workspace has it.',
    });
    const runnerOwnerToken = new TerraformVariable(this, 'runner_owner_token', {
      type: 'string',
      sensitive: true,
      description:
        'A Coder token of the runner-owner account: the spawn-runner hook creates runner workspaces with it.',
    });
    const provisioner = new DataCoderProvisioner(this, 'provisioner');
    const agent = new Agent(this, 'main', { arch: provisioner.arch, os: 'linux' });
    this.orchestrator = new ClaudeRunnerOrchestrator(this, 'orchestrator', {
      agentId: agent.id,
      poolSecret: environmentSecret.stringValue,
      coderToken: runnerOwnerToken.stringValue,
      runnerTemplate: 'claude-runner-on-demand',
      runnerPreset: 'on-demand',
      ...options,
    });
    agent.putMetadata(this.orchestrator.agentMetadata);
  }
}

/**
 * Coder's provisioner keeps a template's state itself, in the working directory: cdktf's default
 * local backend would name a path on the machine that ran the synth instead.
 */
function stateInWorkingDirectory(stack: TerraformStack): void {
  new LocalBackend(stack, { path: 'terraform.tfstate' });
}

/** What `cdktf synth` runs (the `app` of cdktf.json): both templates, one stack each. */
export function synthOnDemandTemplates(
  outdir: string,
  options: { runner?: OnDemandRunnerTemplateOptions; orchestrator?: Partial<OrchestratorProps> } = {},
): { runner: string; orchestrator: string } {
  const app = new App({ outdir });
  new OnDemandRunnerTemplate(app, 'on-demand-runner', options.runner);
  new OrchestratorTemplate(app, 'orchestrator', options.orchestrator);
  app.synth();
  return { runner: `${outdir}/stacks/on-demand-runner`, orchestrator: `${outdir}/stacks/orchestrator` };
}
