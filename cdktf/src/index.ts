export { ClaudeSelfHostedRunner, type RunnerMetadataItem } from './claude-self-hosted-runner';
export { ClaudeSelfHostedRunnerPropsError, resolveProps, type ClaudeSelfHostedRunnerProps } from './props';
