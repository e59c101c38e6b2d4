import fs from 'node:fs';
import type { StatePaths } from './paths.js';
import { evictionStarted } from './status.js';
import { readStatus } from './status-store.js';

/**
 * Whether this workspace must evict rather than serve: it is locked (the lock record, or the
 * last status), or an eviction was accepted or under way. Read before anything is written at
 * start, so a full disk can never stop a locked workspace from evicting.
 */
export function lockedOrEvictionDue(paths: Pick<StatePaths, 'lockedFlag' | 'statusFile'>): boolean {
  if (fs.existsSync(paths.lockedFlag)) return true;
  const status = readStatus(paths);
  return status?.locked === true || evictionStarted(status?.eviction);
}
