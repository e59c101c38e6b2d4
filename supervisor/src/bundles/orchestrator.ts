// The orchestrator module's bundle (module/orchestrator.cjs): the orchestrator role, the
// supervisor's commands and the spawn-runner hook that the orchestrator runs per request.
import { supervisorCommands } from '../commands/command-table.js';
import { spawnRunnerEntry } from '../commands/spawn-runner.js';
import { runBundle } from '../main.js';
import { orchestratorDefinition } from '../roles/orchestrator/orchestrator-definition.js';
import { RoleRegistry } from '../roles/registry.js';

runBundle({ roles: new RoleRegistry([orchestratorDefinition]), commands: [...supervisorCommands, spawnRunnerEntry] });
