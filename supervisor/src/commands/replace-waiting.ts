import type { StatePaths } from '../state/paths.js';
import { liveLockHolder, type LockHolder } from '../state/instance-lock.js';
import { readStatus } from '../state/status-store.js';

/** How long a waiting supervisor gets to stop: it runs no runner, so it ends at once. */
const stopWaitMs = 15_000;

/**
 * On-demand: a start that brings a work order finds the supervisor of the prebuild still waiting
 * for one (the claim's start build runs the start script again after the agent reinitialized).
 * That supervisor holds nothing of value (no runner, no lock to a user), so it is stopped, and
 * this start goes on as a fresh one with the order. A supervisor in any other state is left
 * alone: "already running".
 */
export async function replaceWaitingSupervisor(paths: StatePaths, holder: LockHolder): Promise<boolean> {
  if (readStatus(paths)?.state !== 'waiting-for-order') return false;
  try {
    process.kill(holder.pid, 'SIGTERM');
  } catch {
    // Gone already.
  }
  const deadline = Date.now() + stopWaitMs;
  while (Date.now() < deadline) {
    if (!liveLockHolder(paths.lockFile)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}
