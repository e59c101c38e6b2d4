import { runnerConfigOf, secretValues } from '../../config/config.js';
import { readIsolationRecord } from '../../workspace/isolation.js';
import { prepareWorkspace } from '../../workspace/prepare-workspace.js';
import { priorUse } from '../../workspace/usage-evidence.js';
import type { RoleDefinition } from '../registry.js';
import { runnerItemKeys } from './runner-items.js';
import { RunnerRole } from './runner-role.js';
import { systemRunnerCalls } from './runner-runtime.js';

/** The runner (`claude self-hosted-runner`): the root module's role, in pool and on-demand mode. */
export const runnerDefinition: RoleDefinition = {
  name: 'runner',
  itemKeys: runnerItemKeys,
  itemsFile: 'metadata-items.json',
  load(values, env) {
    const config = runnerConfigOf(values, env);
    return {
      name: 'runner',
      config,
      secrets: secretValues(config),
      replacesWaiting: config.mode === 'on-demand' && Boolean(config.workOrder),
      // A locked workspace, or one whose eviction is due, needs nothing prepared: it only evicts.
      prepare: (paths, log, { evictionDue }) =>
        evictionDue ? Promise.resolve(readIsolationRecord(config, paths)) : prepareWorkspace(config, paths, log),
      // With isolation: evidence of an earlier session, and runner-user processes left by a killed supervisor.
      inspect: (paths, isolation) => priorUse(paths, isolation),
      create: (paths, log, prepared, runtime) =>
        new RunnerRole(config, paths, prepared.isolation, log, { ...runtime, ...systemRunnerCalls }),
    };
  },
};
