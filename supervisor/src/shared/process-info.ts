import fs from 'node:fs';

/** Whether a process with this pid exists (EPERM means it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat), which
 * tells a live holder from a new process that reused its pid. Undefined where /proc is absent
 * or the process is gone, or for a zombie, which counts as gone.
 */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces: split after it.
    const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (afterName[0] === 'Z' || afterName[0] === 'X') return undefined;
    return afterName[19];
  } catch {
    return undefined;
  }
}

/** Whether `pid` is alive and is the same process that was recorded with `startTime`. */
export function isSameProcessAlive(pid: number, startTime: string | undefined): boolean {
  if (!isProcessAlive(pid)) return false;
  const now = processStartTime(pid);
  if (now === undefined) return startTime === undefined && fs.existsSync('/proc') === false;
  return startTime === undefined || now === startTime;
}
