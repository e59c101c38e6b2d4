import { orchestratorDefinition } from '../roles/orchestrator/orchestrator-definition.js';
import { RoleRegistry } from '../roles/registry.js';
import { runnerDefinition } from '../roles/runner/runner-definition.js';

/**
 * Every role, for tests and tools that look at all of them. A bundle carries only its module's
 * roles (supervisor/src/bundles/), so no bundle imports this file.
 */
export const allRoles = new RoleRegistry([runnerDefinition, orchestratorDefinition]);
