import { orchestratorConfigOf, secretValues } from '../../config/config.js';
import type { RoleDefinition } from '../registry.js';
import { orchestratorItemKeys } from './orchestrator-items.js';
import { OrchestratorRole } from './orchestrator-role.js';
import { systemOrchestratorCalls } from './orchestrator-runtime.js';
import { prepareOrchestrator } from './prepare-orchestrator.js';

/** The orchestrator (`claude self-hosted-runner orchestrator`): the orchestrator/ module's role. */
export const orchestratorDefinition: RoleDefinition = {
  name: 'orchestrator',
  itemKeys: orchestratorItemKeys,
  itemsFile: 'orchestrator-metadata-items.json',
  load(values) {
    const config = orchestratorConfigOf(values);
    return {
      name: 'orchestrator',
      config,
      secrets: secretValues(config),
      replacesWaiting: false,
      prepare: (paths, log, { bundlePath }) => prepareOrchestrator(config, paths, log, bundlePath),
      // A host that runs no user code has no earlier session to look for.
      inspect: () => Promise.resolve(undefined),
      create: (paths, log, _prepared, runtime) =>
        new OrchestratorRole(config, paths, log, { ...runtime, ...systemOrchestratorCalls }),
    };
  },
};
