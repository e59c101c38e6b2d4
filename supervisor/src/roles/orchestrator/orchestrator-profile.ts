import type { RoleProfile } from '../../lifecycle/role-profile.js';
import { claudeExitRules } from '../claude-exit-rules.js';

const claudeRules = claudeExitRules('orchestrator', 'pool_secret');

/** The orchestrator: a long-lived host, restarted after every exit that a restart can help, never self-evicting. */
export const orchestratorProfile: RoleProfile = {
  program: 'orchestrator',
  singleUse: false,
  restartable: true,
  awaitsOrder: false,
  credentialInput: 'pool_secret',
  credentialRefused: 'the Coder token cannot create runner workspaces, so the orchestrator serves no spawn request',
  exits: {
    ...claudeRules,
    clean: { then: 'restart', reason: () => 'the orchestrator exited cleanly; restarting', lastError: 'said' },
  },
};
