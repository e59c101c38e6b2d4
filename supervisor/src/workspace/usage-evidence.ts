import fs from 'node:fs';
import type { StatePaths } from '../state/paths.js';
import type { IsolationRecord } from './isolation.js';
import { asRunnerUser, isolatedProcesses, killIsolatedProcesses, type Isolation } from './runner-user.js';

/**
 * Evidence that this workspace may already have served a session, for a supervisor that starts
 * with isolation on. The lock record itself lives in the state dir, which only the supervisor
 * (the workspace user) can write; what a session can reach (the runner user's home and base
 * dir, the record drop box) only ever adds evidence. When the supervisor cannot prove that the
 * workspace never served a session, it treats it as used (locked) and self-evicts.
 */

/** Entries of the runner's home that a runner that never served a session may have. */
const quietHomeEntries = new Set([
  '.claude-self-hosted-runner',
  '.gitconfig',
  '.cache',
  '.config',
  '.local',
  '.npm',
  'workspace',
]);

function skelEntries(): Set<string> {
  try {
    return new Set(fs.readdirSync('/etc/skel'));
  } catch {
    return new Set();
  }
}

/** The write probes that the supervisor and the runner make and remove at once. */
const probe = /^\.(write-check|stand-in-write-probe)-\d+$/;

async function listAsRunner(isolation: Extract<Isolation, { on: true }>, dir: string): Promise<string[] | undefined> {
  const result = await asRunnerUser(isolation.via, isolation.user, [
    '/bin/sh',
    '-c',
    '[ -d "$1" ] || exit 3; ls -A1 -- "$1"',
    'sh',
    dir,
  ]);
  if (result.exitCode === 3) return [];
  if (result.exitCode !== 0) return undefined;
  return result.stdout.split('\n').filter((l) => l !== '');
}

function statusFileProblem(paths: StatePaths): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(paths.statusFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return 'status.json is unreadable';
  }
  try {
    const parsed = JSON.parse(text) as { schema?: unknown; locked?: unknown; sessionsSeen?: unknown };
    if (parsed.schema !== 1) return 'status.json has an unknown schema';
    if (parsed.locked !== true && typeof parsed.sessionsSeen === 'number' && parsed.sessionsSeen > 0) {
      return 'status.json is inconsistent (sessions seen, yet not locked)';
    }
  } catch {
    return 'status.json is not valid JSON';
  }
  return undefined;
}

/** Whether the session wrapper left a record in the drop box (files there are the runner user's). */
export function recordsLeft(record: IsolationRecord): string | undefined {
  try {
    const names = fs.readdirSync(record.paths.recordDir);
    if (names.length > 0) return `the session wrapper left a record (${names.slice(0, 3).join(', ')})`;
  } catch {
    // No drop box: nothing recorded.
  }
  return undefined;
}

/** Session traces in the base dir: anything but a write probe. */
export async function baseDirTraces(record: IsolationRecord): Promise<string | undefined> {
  const { isolation } = record;
  if (!isolation.on) return undefined;
  const entries = await listAsRunner(isolation, record.paths.baseDir);
  if (entries === undefined) return `the base dir ${record.paths.baseDir} cannot be listed`;
  const traces = entries.filter((name) => !probe.test(name));
  return traces.length > 0 ? `the base dir holds ${traces.slice(0, 3).join(', ')}` : undefined;
}

async function homeTraces(isolation: Extract<Isolation, { on: true }>): Promise<string | undefined> {
  const entries = await listAsRunner(isolation, isolation.user.home);
  if (entries === undefined) return `the runner user's home ${isolation.user.home} cannot be listed`;
  const skel = skelEntries();
  const traces = entries.filter(
    (name) => !skel.has(name) && !quietHomeEntries.has(name) && !name.startsWith('.claude'),
  );
  return traces.length > 0 ? `the runner user's home holds ${traces.slice(0, 3).join(', ')}` : undefined;
}

export interface PriorUse {
  /** Why the workspace counts as used, or undefined when nothing says so. */
  evidence: string | undefined;
  /** Processes of the runner user found (and killed) at start. */
  killed: number;
}

/**
 * Checked once at supervisor start, before the boot decision. Processes of the runner user
 * still alive mean a supervisor died while its runner ran, unwatched: they are killed, and the
 * workspace counts as used, since nothing proves that no session ran meanwhile.
 */
export async function priorUse(paths: StatePaths, record: IsolationRecord): Promise<PriorUse> {
  const { isolation } = record;
  if (!isolation.on) return { evidence: undefined, killed: 0 };
  const found: string[] = [];
  let killed = 0;
  if (isolatedProcesses(isolation).length > 0) {
    const report = await killIsolatedProcesses(isolation);
    killed = report.found;
    found.push(`${report.found} process(es) of the runner user or its sessions outlived their supervisor`);
  }
  const status = statusFileProblem(paths);
  if (status) found.push(status);
  const records = recordsLeft(record);
  if (records) found.push(records);
  const base = await baseDirTraces(record);
  if (base) found.push(base);
  const home = await homeTraces(isolation);
  if (home) found.push(home);
  return { evidence: found.length > 0 ? found.join('; ') : undefined, killed };
}
