export { ClaudeSelfHostedRunner, type RunnerMetadataItem } from './claude-self-hosted-runner';
export { ClaudeRunnerOrchestrator, orchestratorStopBudgetSec } from './orchestrator';
export type { AgentMetadataItem } from './module-scripts';
export {
  ClaudeSelfHostedRunnerPropsError,
  resolveOrchestratorProps,
  resolveProps,
  type ClaudeSelfHostedRunnerProps,
  type OrchestratorProps,
} from './props';
