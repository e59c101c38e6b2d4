import fs from 'node:fs';
import { LockError, describeError } from '../shared/errors.js';
import { isSameProcessAlive, processStartTime } from '../shared/process-info.js';

export interface LockHolder {
  pid: number;
  startTime: string | undefined;
  acquiredAt: string;
}

export type AcquireResult = { acquired: true } | { acquired: false; holder: LockHolder };

/*
 * Hand-written rather than proper-lockfile: that library judges staleness by the lock's mtime,
 * so a supervisor killed with SIGKILL would block a new start for the whole stale window, and
 * it cannot tell a reused pid from the holder; and it writes a file, which a full disk refuses.
 * Here the lock records the holder's pid and its start time from /proc, so a dead or reused pid
 * is recovered at once.
 */

/** The holder as the lock's symlink target: `<pid>:<start time>:<acquired at, ms>`. */
function encodeHolder(holder: LockHolder): string {
  return `${holder.pid}:${holder.startTime ?? ''}:${Date.parse(holder.acquiredAt) || 0}`;
}

function decodeHolder(target: string): LockHolder {
  const [pid, startTime, at] = target.split(':');
  const n = Number(pid);
  if (!Number.isInteger(n) || n <= 0) return { pid: -1, startTime: undefined, acquiredAt: '' };
  return {
    pid: n,
    startTime: startTime === undefined || startTime === '' ? undefined : startTime,
    acquiredAt: at && Number(at) > 0 ? new Date(Number(at)).toISOString() : '',
  };
}

export function readLockHolder(lockFile: string): LockHolder | undefined {
  try {
    return decodeHolder(fs.readlinkSync(lockFile));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    // EINVAL: a regular file, the lock of an earlier version (a JSON record): read it as such.
    if (code !== 'EINVAL') {
      throw new LockError(`cannot read the lock file ${lockFile}: ${describeError(error)}`, { cause: error });
    }
  }
  let text: string;
  try {
    text = fs.readFileSync(lockFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LockError(`cannot read the lock file ${lockFile}: ${describeError(error)}`, { cause: error });
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder>;
    if (typeof parsed.pid === 'number') {
      return { pid: parsed.pid, startTime: parsed.startTime ?? undefined, acquiredAt: String(parsed.acquiredAt ?? '') };
    }
  } catch {
    // A torn or foreign file: treated as a dead holder below.
  }
  return { pid: -1, startTime: undefined, acquiredAt: '' };
}

/** The live holder of the lock, if any. */
export function liveLockHolder(lockFile: string): LockHolder | undefined {
  const holder = readLockHolder(lockFile);
  return holder && isSameProcessAlive(holder.pid, holder.startTime) ? holder : undefined;
}

/*
 * The lock is a symlink whose target is the holder: creating it is atomic and fails when it
 * exists (like O_EXCL), and a short target lives in the inode, so the lock can be taken on a
 * full disk, where a locked workspace must still run its supervisor to evict.
 */
function tryCreate(lockFile: string, holder: LockHolder): boolean {
  try {
    fs.symlinkSync(encodeHolder(holder), lockFile);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new LockError(`cannot create the lock file ${lockFile}: ${describeError(error)}`, { cause: error });
  }
}

/**
 * Takes the single-instance lock for `pid` (this process by default). A stale lock (dead or
 * reused pid, unreadable content) is moved aside and the creation retried; O_EXCL creation
 * decides any race between two starters.
 */
export function acquireInstanceLock(lockFile: string, pid = process.pid): AcquireResult {
  const me: LockHolder = { pid, startTime: processStartTime(pid), acquiredAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 5; attempt += 1) {
    if (tryCreate(lockFile, me)) return { acquired: true };
    const holder = readLockHolder(lockFile);
    if (holder === undefined) continue; // released between our two calls
    if (holder.pid === pid && holder.startTime === me.startTime) return { acquired: true };
    if (isSameProcessAlive(holder.pid, holder.startTime)) return { acquired: false, holder };
    // Stale: move it aside under a unique name (rename is atomic), then retry the creation.
    const aside = `${lockFile}.stale.${pid}.${attempt}`;
    try {
      fs.renameSync(lockFile, aside);
      // Another starter may have recovered the lock between our read and the rename: if what we
      // moved is a live holder, put it back (link fails rather than overwrite) and yield to it.
      const moved = readLockHolder(aside);
      if (moved && isSameProcessAlive(moved.pid, moved.startTime)) {
        try {
          fs.linkSync(aside, lockFile);
        } catch {
          // A newer lock already took its place; either way someone else holds it.
        }
        fs.rmSync(aside, { force: true });
        return { acquired: false, holder: moved };
      }
      fs.rmSync(aside, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new LockError(`cannot recover the stale lock ${lockFile}: ${describeError(error)}`, { cause: error });
      }
    }
  }
  throw new LockError(`could not take the lock ${lockFile} after 5 attempts; another start may be racing`);
}

/** Releases the lock if this process still holds it. */
export function releaseInstanceLock(lockFile: string, pid = process.pid): void {
  const holder = readLockHolder(lockFile);
  if (holder && holder.pid === pid) fs.rmSync(lockFile, { force: true });
}
