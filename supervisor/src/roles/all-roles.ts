import { orchestratorDefinition } from './orchestrator/orchestrator-definition.js';
import { RoleRegistry } from './registry.js';
import { runnerDefinition } from './runner/runner-definition.js';

/**
 * Every role, for tests and tools that look at all of them. A bundle carries only its module's
 * roles (supervisor/src/bundles/), so no bundle imports this file.
 */
export const allRoles = new RoleRegistry([runnerDefinition, orchestratorDefinition]);
