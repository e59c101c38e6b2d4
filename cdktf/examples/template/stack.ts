import { Construct } from 'constructs';
import { App, TerraformOutput, TerraformStack, TerraformVariable } from '../../src/cdk-lib';
import { Agent } from '../../src/gen/coder/agent';
import { DataCoderProvisioner } from '../../src/gen/coder/data-coder-provisioner';
import { DataCoderWorkspace } from '../../src/gen/coder/data-coder-workspace';
import { DataCoderWorkspaceOwner } from '../../src/gen/coder/data-coder-workspace-owner';
import { DataCoderWorkspacePreset } from '../../src/gen/coder/data-coder-workspace-preset';
import { CoderProvider } from '../../src/gen/coder/provider';
import { ClaudeSelfHostedRunner, type ClaudeSelfHostedRunnerProps } from '../../src/index';

export interface RunnerPoolTemplateOptions {
  /** Idle runners that the prebuild reconciler keeps ready. */
  poolSize?: number;
  /** Expiration ttl of the prebuilds: above the maximum lifetime plus the drain budget. */
  prebuildTtlSeconds?: number;
  /** Props of the construct beyond the ones this template wires. */
  runner?: Partial<ClaudeSelfHostedRunnerProps>;
}

/**
 * A Coder template in CDKTF: the coder provider, a preset with prebuilds, the workspace and
 * owner data sources, a coder_agent with the runner's metadata, and the construct. The
 * self-evict token comes in as a sensitive variable: mint it per workspace at build time with the
 * scopes and allow list of docs/self-evict-token.md (the HCL example does it with the
 * Mastercard/restapi provider).
 */
export class RunnerPoolTemplate extends TerraformStack {
  readonly runner: ClaudeSelfHostedRunner;

  constructor(scope: Construct, id: string, options: RunnerPoolTemplateOptions = {}) {
    super(scope, id);
    new CoderProvider(this, 'coder');
    const poolSecret = new TerraformVariable(this, 'pool_secret', {
      type: 'string',
      sensitive: true,
      description: 'The secret of the Claude Code self-hosted environment.',
    });
    const selfEvictToken = new TerraformVariable(this, 'self_evict_token', {
      type: 'string',
      sensitive: true,
      description: 'The per-workspace scoped self-evict token.',
    });
    const provisioner = new DataCoderProvisioner(this, 'provisioner');
    const workspace = new DataCoderWorkspace(this, 'workspace');
    new DataCoderWorkspaceOwner(this, 'owner');
    new DataCoderWorkspacePreset(this, 'pool', {
      name: 'runner-pool',
      default: true,
      prebuilds: {
        instances: options.poolSize ?? 2,
        expirationPolicy: { ttl: options.prebuildTtlSeconds ?? 86_400 },
      },
    });
    const agent = new Agent(this, 'main', { arch: provisioner.arch, os: 'linux' });
    this.runner = new ClaudeSelfHostedRunner(this, 'runner', {
      agentId: agent.id,
      workspaceId: workspace.id,
      poolSecret: poolSecret.stringValue,
      selfEvictToken: selfEvictToken.stringValue,
      ...options.runner,
    });
    agent.putMetadata([...this.runner.agentMetadata, ...this.runner.supervisorMetadata]);
    new TerraformOutput(this, 'agent_metadata', {
      value: this.runner.agentMetadata.map((m) => ({
        display_name: m.displayName,
        key: m.key,
        interval: m.interval,
        timeout: m.timeout,
        script: m.script,
      })),
    });
  }
}

/** What `cdktf synth` runs (the `app` of cdktf.json): synthesizes into `outdir`. */
export function synthTemplate(outdir: string, options: RunnerPoolTemplateOptions = {}): string {
  const app = new App({ outdir });
  new RunnerPoolTemplate(app, 'runner-pool', options);
  app.synth();
  return `${outdir}/stacks/runner-pool`;
}
