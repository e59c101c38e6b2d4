import { parseRunInputs, roleOfInputs, type CommonRunConfig, type Env } from '../config/config.js';
import type { InputValues } from '../config/parse-inputs.js';
import { roleBundles, type RoleName } from '../config/inputs.js';
import { ConfigError } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import type { StatePaths } from '../state/paths.js';
import type { IsolationRecord } from '../workspace/isolation.js';
import type { PriorUse } from '../workspace/usage-evidence.js';
import type { PreparedHost, RoleBaseRuntime, SupervisedRole } from './role.js';

/** What preparing a host may use beyond the role's configuration. */
export interface PrepareContext {
  /** The bundle's own path (the orchestrator's spawn-runner hook runs it). */
  bundlePath: string;
  /** The workspace is locked or its eviction is due: nothing is prepared, it only evicts. */
  evictionDue: boolean;
}

/** A role with its configuration loaded: everything `start` and `run` do that depends on the role. */
export interface LoadedRole {
  readonly name: RoleName;
  readonly config: CommonRunConfig;
  /** Values never printed, logged or put on a command line (the log redacts them). */
  readonly secrets: readonly string[];
  /** This start replaces a supervisor that waits for a work order (on-demand, with the order). */
  readonly replacesWaiting: boolean;
  /** Prepares the host under the single-instance lock (files, the runner user, the hooks dir). */
  prepare(paths: StatePaths, log: Logger, context: PrepareContext): Promise<IsolationRecord>;
  /** What the host shows of an earlier use, once `start` has been told (undefined: nothing to look at). */
  inspect(paths: StatePaths, isolation: IsolationRecord): Promise<PriorUse | undefined>;
  /** The role object that the executor drives. */
  create(paths: StatePaths, log: Logger, prepared: PreparedHost, runtime: RoleBaseRuntime): SupervisedRole;
}

/**
 * One supervised program: what the registry knows of it. A new role is a folder in roles/ with
 * one of these (and its module: docs/architecture.md, "Add a role").
 */
export interface RoleDefinition {
  readonly name: RoleName;
  /** Its dashboard items, in order: the keys of its module's metadata items. */
  readonly itemKeys: readonly string[];
  /** Its metadata items file in module/ (read by the module's outputs and the construct). */
  readonly itemsFile: string;
  load(values: InputValues, env: Env): LoadedRole;
}

/**
 * The roles that a bundle carries: `start` and `run` ask it for the role that `--role` names, and
 * never name a role themselves. A bundle per module carries only its module's roles
 * (supervisor/src/bundles/), so each launcher embeds only what its workspace runs.
 */
export class RoleRegistry {
  constructor(readonly definitions: readonly RoleDefinition[]) {}

  /** The configuration of `start` and `run`, loaded by the role that it names. */
  load(argv: readonly string[], env: Env): LoadedRole & { detached: boolean } {
    const { values, detached } = parseRunInputs(argv, env);
    const name = roleOfInputs(values);
    const definition = this.definitions.find((d) => d.name === name);
    if (!definition) {
      const carried = this.definitions.map((d) => d.name).join(', ');
      throw new ConfigError([
        `--role ${name}: this bundle supervises only the ${carried} role; the ${name} role ships in its own module, as module/${roleBundles[name]}`,
      ]);
    }
    return Object.assign(definition.load(values, env), { detached });
  }
}
