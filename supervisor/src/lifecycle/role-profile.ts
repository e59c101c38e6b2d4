/**
 * What the policy needs to know of the supervised program and the way it runs: plain data, so
 * that one policy serves the runner in pool mode, the runner in on-demand mode, and the
 * orchestrator.
 */
export interface RoleProfile {
  /** How reasons name the program: `runner` or `orchestrator`. */
  program: string;
  /**
   * A single-use host: it locks to the first user, and the workspace self-evicts when the program
   * is done (the runner). A long-lived host restarts it instead and never deletes itself.
   */
  singleUse: boolean;
  /** Restarted after an exit that is not final (pool mode); on-demand runners never are. */
  restartable: boolean;
  /** Waits for a work order before it starts anything (an on-demand runner workspace). */
  awaitsOrder: boolean;
  /** The input to check when the program's credential is refused (`pool_secret`). */
  credentialInput: string;
  /** What a refused credential check at boot means, in the reason. */
  credentialRefused: string;
}

export const poolRunnerProfile: RoleProfile = {
  program: 'runner',
  singleUse: true,
  restartable: true,
  awaitsOrder: false,
  credentialInput: 'pool_secret',
  credentialRefused: 'the self-evict token cannot delete this workspace, so it serves no one',
};

export const onDemandRunnerProfile: RoleProfile = {
  ...poolRunnerProfile,
  restartable: false,
  awaitsOrder: true,
  credentialInput: 'work_order',
};

export const orchestratorProfile: RoleProfile = {
  program: 'orchestrator',
  singleUse: false,
  restartable: true,
  awaitsOrder: false,
  credentialInput: 'pool_secret',
  credentialRefused: 'the Coder token cannot create runner workspaces, so the orchestrator serves no spawn request',
};
