import fs from 'node:fs';

/**
 * A process's scheduler state from /proc/<pid>/stat (R running, S sleeping, D disk wait, T
 * stopped by a signal, t stopped by a tracer, Z zombie), and its parent. Undefined when the
 * process is gone or /proc is absent.
 */
export function processState(pid: number): { state: string; ppid: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces: split after it.
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return state === undefined ? undefined : { state, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

/** The live children of a process: its children file where the kernel has one, else every /proc/<pid>/stat. */
export function childrenOf(pid: number): number[] {
  try {
    return fs
      .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter((word) => word !== '')
      .map(Number);
  } catch {
    // No CONFIG_PROC_CHILDREN (or the process is gone): scan.
  }
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  return entries
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((child) => processState(child)?.ppid === pid);
}

/**
 * Whether the runner is stopped (SIGSTOP, SIGTSTP: state T): the process itself, or, when it
 * runs under `sudo` (which stays as its parent), sudo's children. A stopped runner neither
 * exits nor answers, so only its state says so.
 */
export function stoppedProcess(pid: number): number | undefined {
  for (const candidate of [pid, ...childrenOf(pid)]) {
    if (processState(candidate)?.state === 'T') return candidate;
  }
  return undefined;
}
