// The runner module's bundle (module/supervisor.cjs): the runner role and the supervisor's commands.
import { supervisorCommands } from '../commands/command-table.js';
import { runBundle } from '../main.js';
import { RoleRegistry } from '../roles/registry.js';
import { runnerDefinition } from '../roles/runner/runner-definition.js';

runBundle({ roles: new RoleRegistry([runnerDefinition]), commands: supervisorCommands });
