import type { CheckVerdict } from '../coder-api/answer.js';
import type { HttpClient } from '../coder-api/http.js';
import type { EvictionOptions } from '../eviction/evict-workspace.js';
import type { ExitKind } from '../lifecycle/exit-kind.js';
import type { PolicyState } from '../lifecycle/policy-types.js';
import type { RoleProfile } from '../lifecycle/role-profile.js';
import type { RoleStatus } from '../lifecycle/status-projection.js';
import type { ProcessExit, ProcessHandle, SpawnOptions } from '../process/supervised-process.js';
import type { SupervisorStatus } from '../state/status.js';
import type { IsolationRecord } from '../workspace/isolation.js';
import type { PriorUse } from '../workspace/usage-evidence.js';

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

/** What the executor lends every role of the outside world (a role adds its own: runner-runtime.ts). */
export interface RoleBaseRuntime {
  now: () => number;
  env: NodeJS.ProcessEnv;
  http: HttpClient;
}

/** The policy's limits that depend on the role (a long-lived host has none: all 0). */
export interface RoleLimits {
  /** max_lifetime_minutes; 0 is no limit. */
  maxLifetimeMs: number;
  /** Hard cap of a locked workspace's runner; 0 is none. */
  maxLockedMs: number;
  /** How long a workspace without a work order waits; 0 is forever. */
  orderWaitMs: number;
}

/** What `run` prepared for the role under the single-instance lock, and found at start. */
export interface PreparedHost {
  /** Isolation (docs/isolation.md); off for a host that runs no user code. */
  isolation: IsolationRecord;
  /** With isolation: evidence of an earlier session, and processes left by a killed supervisor. */
  priorUse?: PriorUse;
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
  readonly limits: RoleLimits;
  /** On-demand: this start brings a work order. */
  readonly hasOrder: boolean;
  /** What the previous status knew that the role keeps (sessions seen, the last runner ID). */
  restore(previous: SupervisorStatus | undefined): void;
  /** The checks before the first start: the problems found. */
  preflight(): Promise<string[]>;
  /** Proves the credential that the boot depends on (the runner's: its self-evict token). */
  checkCredentials(): Promise<CheckVerdict>;
  /** How to start the program now; `retireAtEpochSec` is its --retire-at, when it has one. */
  spawnOptions(retireAtEpochSec: number | undefined): Promise<{ options: SpawnOptions; version: string }>;
  /** The handle as the role signals and kills it (with isolation: every runner-user process too). */
  wrapHandle(handle: ProcessHandle): ProcessHandle;
  watch(handle: ProcessHandle, hooks: WatchHooks): void;
  /** After the program exited: its watch ends, what it left is cleaned up, and why it exited is read. */
  afterExit(exit: ProcessExit, handle: ProcessHandle): Promise<ExitVerdict>;
  /** How to delete the own workspace; undefined for a host that never self-evicts. */
  evictionOptions(verifyFirst: boolean): EvictionOptions | undefined;
  /** The dashboard's words and the role's own status fields. */
  status(state: PolicyState, alive: boolean): RoleStatus;
  /** One line per dashboard item (the module's metadata keys). */
  dashboardItems(status: SupervisorStatus): Record<string, string>;
  /** The role's status fields that change on every poll (they alone do not rewrite status.json). */
  readonly volatileFields: readonly string[];
}
