import type { ExitKind } from '../lifecycle/exit-kind.js';
import type { PolicyState } from '../lifecycle/policy-types.js';
import type { RoleProfile } from '../lifecycle/role-profile.js';
import type { RoleStatus } from '../lifecycle/status-projection.js';
import type { ProcessExit, ProcessHandle, SpawnOptions } from '../process/supervised-process.js';
import type { SupervisorStatus } from '../state/status.js';

/** What a role's watch of the live program reports to the executor, which hands it on as events. */
export interface WatchHooks {
  lockObserved(source: string): void;
  registered(): void;
  unresponsive(reason: string): void;
  /** Whether the policy holds the workspace locked. */
  locked(): boolean;
  /** What the role has seen changed: the status is saved again. */
  changed(): void;
}

export interface ExitVerdict {
  kind: ExitKind;
  /** The program's own line that says why, if it printed one. */
  line: string | undefined;
  /** Traces of a session found after the exit (the lock, as evidence). */
  lockEvidence?: string;
}

/**
 * Everything that is specific to one supervised program: the runner (roles/runner) or the
 * orchestrator (roles/orchestrator). The executor drives a role through the policy's effects;
 * process mechanics (spawn, adopt, the log, the runner user) are shared in process/.
 */
export interface SupervisedRole {
  readonly profile: RoleProfile;
  /** What the previous status knew that the role keeps (sessions seen, the last runner ID). */
  restore(previous: SupervisorStatus | undefined): void;
  /** The checks before the first start: the problems found. */
  preflight(): Promise<string[]>;
  /** Proves the credential that the boot depends on (the runner's: its self-evict token). */
  checkCredentials(): Promise<{ verdict: 'ok' | 'refused' | 'unknown'; problem?: string }>;
  /** How to start the program now; `retireAtEpochSec` is its --retire-at, when it has one. */
  spawnOptions(retireAtEpochSec: number | undefined): Promise<{ options: SpawnOptions; version: string }>;
  /** The handle as the role signals and kills it (with isolation: every runner-user process too). */
  wrapHandle(handle: ProcessHandle): ProcessHandle;
  watch(handle: ProcessHandle, hooks: WatchHooks): void;
  /** After the program exited: its watch ends, what it left is cleaned up, and why it exited is read. */
  afterExit(exit: ProcessExit, handle: ProcessHandle): Promise<ExitVerdict>;
  /** The dashboard's words and the role's own status fields. */
  status(state: PolicyState, alive: boolean): RoleStatus;
  /** One line per dashboard item (the module's metadata keys). */
  dashboardItems(status: SupervisorStatus): Record<string, string>;
}
