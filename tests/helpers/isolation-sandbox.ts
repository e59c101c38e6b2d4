import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { sessionUserName, sudoersFile } from '../../supervisor/src/workspace/session-user.js';
import { bundle, makeSandbox, readStatusFile, repoRoot, standInEvents, waitFor, type Sandbox } from './sandbox.js';

/**
 * The isolation tests run as root (CI does) and act as a real workspace would: the workspace
 * user is a non-root user (`csr-ws`), with passwordless sudo unless a test says otherwise, and
 * the supervisor creates the runner user itself. Each test gets a runner user of its own.
 */
export const workspaceUser = 'csr-ws';
export const noSudoUser = 'csr-ws-nosudo';

export interface IsolatedSandbox extends Sandbox {
  wsUser: string;
  /** Runs `node supervisor.cjs <args>` as the workspace user, as the launcher does. */
  asWorkspaceUser(
    args: string[],
    extraEnv?: Record<string, string>,
    options?: { cgroup?: string },
  ): Promise<{ exitCode?: number; stdout: string; stderr: string }>;
  hostileOut: string;
  runnerUid(): number | undefined;
  /** The session user's uid (workspace/session-user.ts), once a start made it. */
  sessionUid(): number | undefined;
  dispose(): Promise<void>;
}

export async function ensureUser(name: string, sudo: boolean): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the isolation tests need root (CI runs them as root)');
  const exists = await execa('getent', ['passwd', name], { reject: false });
  if (exists.exitCode !== 0) {
    const added = await execa('useradd', ['--create-home', '--user-group', '--shell', '/bin/sh', name], {
      reject: false,
    });
    if (added.exitCode !== 0 && (await execa('getent', ['passwd', name], { reject: false })).exitCode !== 0) {
      throw new Error(`useradd ${name}: ${added.stderr}`);
    }
  }
  if (sudo) {
    const file = `/etc/sudoers.d/${name}`;
    fs.writeFileSync(`${file}.tmp`, `${name} ALL=(ALL) NOPASSWD:ALL\n`, { mode: 0o440 });
    fs.renameSync(`${file}.tmp`, file);
  }
}

export function uidOf(name: string): number | undefined {
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  return line ? Number(line.split(':')[2]) : undefined;
}

/** Pids of every live process of a uid. */
export function processesOfUid(uid: number): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = fs.readFileSync(`/proc/${entry}/status`, 'utf8');
      const state = /^State:\s+(\w)/m.exec(status)?.[1];
      const uids = /^Uid:\s+(\d+)\s+(\d+)/m.exec(status);
      if (state !== 'Z' && uids && (Number(uids[1]) === uid || Number(uids[2]) === uid)) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

export interface IsolatedOptions {
  scenarios?: string;
  hostile?: Record<string, string>;
  sudo?: boolean;
}

/** A sandbox whose supervisor runs as the workspace user, with the hostile session as "claude". */
export async function makeIsolatedSandbox(options: IsolatedOptions = {}): Promise<IsolatedSandbox> {
  const sudo = options.sudo ?? true;
  const wsUser = sudo ? workspaceUser : noSudoUser;
  await ensureUser(wsUser, sudo);
  const runnerUser = `csr-r-${Math.random().toString(36).slice(2, 8)}`;
  const sb = await makeSandbox({
    scenarios: options.scenarios ?? 'session-then-drain',
    runnerUser,
    extraEnv: { STANDIN_SESSION_SEC: '3', ...options.hostile },
  });
  const hostileOut = path.join(sb.dir, 'hostile.json');
  // The sandbox is readable (binaries) by everyone; the test's record files writable by the runner.
  fs.chmodSync(sb.dir, 0o755);
  for (const d of ['bin', 'opt']) fs.chmodSync(path.join(sb.dir, d), 0o755);
  for (const f of [sb.events, sb.claudeRecord, sb.env.STANDIN_COUNTER as string, hostileOut]) {
    fs.writeFileSync(f, '', { mode: 0o666 });
    fs.chmodSync(f, 0o666);
  }
  if (options.hostile) {
    fs.copyFileSync(path.join(repoRoot, 'tests', 'fixtures', 'hostile-session.mjs'), sb.claudeBinary);
    fs.chmodSync(sb.claudeBinary, 0o755);
  }
  const uid = uidOf(wsUser) as number;
  await execa('chown', ['-R', `${wsUser}:${wsUser}`, sb.home]);
  sb.env.HOSTILE_OUT = hostileOut;
  sb.env.USER = wsUser;
  sb.env.LOGNAME = wsUser;
  const copy = path.join(sb.dir, 'bin', 'supervisor.cjs');
  fs.copyFileSync(bundle, copy);
  fs.chmodSync(copy, 0o644);
  return {
    ...sb,
    wsUser,
    hostileOut,
    asWorkspaceUser: async (args, extraEnv = {}, options = {}) => {
      const command = ['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--init-groups', '--', process.execPath, copy];
      // In a cgroup of its own first (as root), so that what it starts is counted there too.
      const inCgroup = options.cgroup
        ? ['/bin/sh', '-c', 'echo $$ >"$0/cgroup.procs" && exec "$@"', options.cgroup, ...command]
        : command;
      const result = await execa(inCgroup[0] as string, [...inCgroup.slice(1), ...args], {
        env: { ...sb.env, ...extraEnv },
        extendEnv: false,
        reject: false,
        stdin: 'ignore',
        cwd: '/',
      });
      return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
    },
    runnerUid: () => uidOf(runnerUser),
    sessionUid: () => uidOf(sessionUserName(runnerUser)),
    dispose: async () => {
      for (const user of [sessionUserName(runnerUser), runnerUser]) {
        const uid = uidOf(user);
        if (uid !== undefined) {
          for (const pid of processesOfUid(uid)) {
            try {
              process.kill(pid, 'SIGKILL');
            } catch {
              // gone
            }
          }
          await execa('userdel', ['-r', '-f', user], { reject: false });
        }
        fs.rmSync(`/var/lib/claude-self-hosted-runner/.created-users/${user}`, { force: true });
      }
      fs.rmSync(sudoersFile(runnerUser), { force: true });
      fs.rmSync(`/var/lib/claude-self-hosted-runner/${runnerUser}`, { recursive: true, force: true });
      await sb.cleanup();
    },
  };
}

/** Whether a process is alive and not a zombie (a killed orphan may wait for a reaper that never comes). */
export function isLive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

export function hostileFindings(sb: IsolatedSandbox): {
  done?: boolean;
  pid?: number;
  uid?: number;
  spyPid?: number;
  environ: { pid: number; text: string }[];
  files: { path: string; text: string }[];
  tamper: { op: string; target: string; result: string }[];
  signals: { pid: number; result: string }[];
  relaunch: { status: number | null; stdout: string; stderr: string }[];
  fifos: { target: string; result: string }[];
  roguePid?: number;
  rogueRegistered?: boolean;
  secretCopied?: boolean;
  runnerStoppedAt?: number;
  runnerKilledAt?: number;
  killRunnerError?: string;
  fillerPid?: number;
  traceRunner?: string;
  traceOwn?: string;
  runnerEnviron?: string;
  logWrites?: { target: string; result: string }[];
  stopRunnerError?: string;
  secretError?: string;
  groups?: string[];
  docker?: string;
} {
  const text = fs.readFileSync(sb.hostileOut, 'utf8');
  return text ? JSON.parse(text) : { environ: [], files: [], tamper: [], signals: [], relaunch: [], fifos: [] };
}

export async function waitForEviction(sb: IsolatedSandbox, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    'self-eviction',
    () => ['evicted', 'eviction-failed'].includes(readStatusFileAsRoot(sb)?.state ?? ''),
    timeoutMs,
  );
}

export const readStatusFileAsRoot = readStatusFile;

/** Runner starts seen by the stand-in runner (one event per process start). */
export function runnerStarts(sb: Sandbox): number {
  return standInEvents(sb).filter((e) => e.event === 'start').length;
}
