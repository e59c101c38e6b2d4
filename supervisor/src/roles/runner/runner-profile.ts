import type { ExitKind } from '../../lifecycle/exit-kind.js';
import type { ExitRule, RoleProfile } from '../../lifecycle/role-profile.js';
import { claudeExitRules } from '../claude-exit-rules.js';

/** The runner in pool mode: single-use, restarted until it is locked or done. */
export const poolRunnerProfile: RoleProfile = {
  program: 'runner',
  singleUse: true,
  restartable: true,
  awaitsOrder: false,
  credentialInput: 'pool_secret',
  credentialRefused: 'the self-evict token cannot delete this workspace, so it serves no one',
  exits: claudeExitRules('runner', 'pool_secret'),
};

/**
 * On-demand: nothing restarts the runner (Anthropic's advice); a fresh one comes only with a new
 * spawn request, in a workspace of its own. Every exit self-evicts.
 */
const onDemandExit: ExitRule = {
  then: 'evict',
  reason: ({ said }) => `${said}; an on-demand runner serves one work order and is never restarted`,
  lastError: 'line',
};

const onDemandExits: Record<ExitKind, ExitRule> = {
  clean: onDemandExit,
  unreachable: onDemandExit,
  'secret-refused': onDemandExit,
  'not-enabled': onDemandExit,
  'token-expired': onDemandExit,
  'config-error': onDemandExit,
  crash: onDemandExit,
  'work-order-refused': {
    ...onDemandExit,
    reason: ({ line, what }) =>
      `the work order was refused (${line ?? what}); a restart can never help: a fresh order comes only with a new spawn request`,
  },
};

export const onDemandRunnerProfile: RoleProfile = {
  ...poolRunnerProfile,
  restartable: false,
  awaitsOrder: true,
  credentialInput: 'work_order',
  exits: onDemandExits,
};
