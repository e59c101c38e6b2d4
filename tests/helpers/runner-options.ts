import type { RunnerOptions } from '../../supervisor/src/config/config.js';

/** Runner options with every optional one unset (the supervisor's defaults). */
export const noRunnerOptions: RunnerOptions = {
  clientLabel: undefined,
  releaseIdleSessionMin: undefined,
  killSessionAfterMin: undefined,
  exitIfUnusedMin: undefined,
  hooksDir: undefined,
  agentProxyUrl: undefined,
  logLevel: 'info',
  extraArgs: [],
};
