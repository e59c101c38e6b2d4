import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { killWithoutFork } from './kept-killer.js';
import { findTool, notFoundText, toolSearchPath } from './system-tools.js';

/**
 * The runner user: a dedicated unprivileged Unix user that the runner, and so every session,
 * runs as, while the supervisor, its state and its secrets stay with the workspace user. A
 * session then cannot read the supervisor's environment, signal it, or touch its state.
 *
 * The two users' processes are told apart by uid alone: every process whose real or effective
 * uid is the runner user's belongs to the runner or to a session (the user is dedicated to it).
 * Switching users needs root (`setpriv`, util-linux) or passwordless `sudo -n`; without either,
 * isolation is off and the dashboard says so.
 */

/** The value of `runner_user` that turns isolation off on purpose. */
export const noRunnerUser = 'none';

export interface RunnerUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/** How the supervisor acts as root: it is root, or it has passwordless sudo. */
export type Privilege = 'root' | 'sudo';

export type Isolation =
  | {
      on: true;
      via: Privilege;
      user: RunnerUser;
      /** Whether this start created the user (nothing can have run as it before). */
      created: boolean;
      /** It may use the docker socket (runner_docker_access = on): root on the host, so isolation is partial. */
      docker?: boolean;
      /** The user every session runs as (workspace/session-user.ts); absent: sessions run as the runner user. */
      session?: RunnerUser;
      /** Why sessions run as the runner user, when they do. */
      sessionsAsRunner?: string;
      /** What the host allows that isolation cannot change (hostAllowance below), read at start. */
      host?: string;
    }
  | { on: false; reason: string };

/** `isolation: on (claude-runner, via sudo)` or `isolation: off (no sudo)`, for status and the dashboard. */
export function isolationLabel(isolation: Isolation): string {
  if (!isolation.on) return `isolation: off (${isolation.reason})`;
  const sessions = isolation.session
    ? `, sessions as ${isolation.session.name}`
    : `, sessions as the runner user: ${isolation.sessionsAsRunner ?? 'no session user'}`;
  const host = isolation.host ? `; host: ${isolation.host}` : '';
  if (isolation.docker) {
    return `isolation: partial: docker (${isolation.user.name}${sessions}, via ${isolation.via}; the docker group is root on this host${host})`;
  }
  return `isolation: on (${isolation.user.name}${sessions}, via ${isolation.via}${host})`;
}

/**
 * What the host lets processes of one user do to each other, which no user switch changes:
 * ptrace (Yama's ptrace_scope, or none: then any process may trace every other of its user,
 * as in many container images), and docker (the socket's group is root on the host).
 */
export function hostAllowance(docker: boolean, yamaFile = '/proc/sys/kernel/yama/ptrace_scope'): string {
  let ptrace: string;
  try {
    const scope = fs.readFileSync(yamaFile, 'utf8').trim();
    ptrace = scope === '0' ? 'same-user ptrace (Yama 0)' : `ptrace limited (Yama ${scope})`;
  } catch {
    ptrace = 'same-user ptrace (no Yama)';
  }
  return `${ptrace}, docker ${docker ? 'on' : 'off'}`;
}

/** Who the preflight runs its checks as, with isolation (runner/preflight-as-user.ts). */
export function isolationRunAs(record: {
  isolation: Isolation;
  paths: { baseDir: string };
}): { via: Privilege; user: RunnerUser; baseDir: string; session?: RunnerUser } | undefined {
  const { isolation } = record;
  if (!isolation.on) return undefined;
  const runAs = { via: isolation.via, user: isolation.user, baseDir: record.paths.baseDir };
  return isolation.session ? { ...runAs, session: isolation.session } : runAs;
}

export interface CommandResult {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  /** The tool that ran (its absolute path), for messages. */
  tool: string;
}

/** What went wrong, naming the tool: `/usr/sbin/useradd exited 9: useradd: user 'x' already exists`. */
export function describeFailure(result: CommandResult): string {
  const said = result.stderr.trim().replace(/\s+/g, ' ').slice(0, 300);
  if (result.exitCode === undefined) return `${result.tool}: ${said || 'could not be run'}`;
  return `${result.tool} exited ${result.exitCode}${said ? `: ${said}` : ''}`;
}

async function run(file: string, args: string[], input?: string, env?: Record<string, string>): Promise<CommandResult> {
  const tool = findTool(file);
  if (!tool) return { exitCode: undefined, stdout: '', stderr: notFoundText(file), tool: file };
  const result = await execa(tool, args, {
    reject: false,
    stdin: input === undefined ? 'ignore' : 'pipe',
    input,
    ...(env ? { env, extendEnv: false } : {}),
    timeout: 30_000,
  });
  // A tool that could not be started has no stderr of its own: its error is the message.
  const stderr = String(result.stderr ?? '');
  return {
    exitCode: result.exitCode,
    stdout: String(result.stdout ?? ''),
    stderr: result.exitCode === undefined && stderr === '' ? (result.shortMessage ?? 'failed') : stderr,
    tool,
  };
}

/** A command's first word as an absolute path (sudo and setpriv then need no PATH of their own). */
function resolved(argv: string[]): string[] {
  const [file, ...args] = argv;
  return [findTool(file as string) ?? (file as string), ...args];
}

/** Runs a command as root: directly when the supervisor is root, else through `sudo -n`. */
export function asRoot(via: Privilege, argv: string[], input?: string): Promise<CommandResult> {
  const [file, ...args] = resolved(argv);
  if (via === 'root') return run(file as string, args, input);
  return run('sudo', ['-n', '--', file as string, ...args], input);
}

/** A minimal environment for helper commands run as the runner user. */
function helperEnv(user: RunnerUser): Record<string, string> {
  return {
    PATH: toolSearchPath(),
    HOME: user.home,
    USER: user.name,
    LOGNAME: user.name,
  };
}

/**
 * The argv prefix that runs a command as the runner user, with its supplementary groups (the
 * docker group): `setpriv` as root (it execs, so the pid is the command's own), `sudo -n -u`
 * otherwise (sudo stays as the parent and relays signals). `preserveEnv` keeps the caller's
 * environment (the runner's), which sudo allows where the sudoers rule is `ALL`.
 */
export function runAsPrefix(via: Privilege, user: RunnerUser, preserveEnv: boolean): string[] {
  if (via === 'root') {
    return [findTool('setpriv') ?? 'setpriv', `--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', '--'];
  }
  return [findTool('sudo') ?? 'sudo', '-n', ...(preserveEnv ? ['-E'] : []), '-H', '-u', user.name, '--'];
}

/** Runs a helper command as the runner user (never with a secret on argv: secrets go on stdin). */
export function asRunnerUser(via: Privilege, user: RunnerUser, argv: string[], input?: string): Promise<CommandResult> {
  const [file, ...args] = [...runAsPrefix(via, user, false), ...resolved(argv)];
  return run(file as string, args, input, via === 'root' ? helperEnv(user) : undefined);
}

/** The user's passwd entry, or undefined. */
export async function lookUpUser(name: string): Promise<RunnerUser | undefined> {
  const result = await run('getent', ['passwd', name]);
  if (result.exitCode !== 0) return undefined;
  const fields = result.stdout.trim().split('\n')[0]?.split(':') ?? [];
  const uid = Number(fields[2]);
  const gid = Number(fields[3]);
  const home = fields[5] ?? '';
  if (!Number.isInteger(uid) || !Number.isInteger(gid) || !path.isAbsolute(home)) return undefined;
  return { name, uid, gid, home };
}

/** Root, passwordless sudo, or why neither is there. */
export async function detectPrivilege(): Promise<Privilege | { none: string }> {
  if (process.getuid?.() === 0) {
    const setpriv = await run('setpriv', ['--version']);
    return setpriv.exitCode === 0
      ? 'root'
      : { none: `root, but setpriv (util-linux) does not run: ${describeFailure(setpriv)}` };
  }
  const sudo = await run('sudo', ['-n', 'true']);
  if (sudo.exitCode === 0) return 'sudo';
  return { none: 'no sudo' };
}

/**
 * Finds the runner user, creating it (with its own home, 0700) when it is missing. Several
 * starts at once may race to create it: a failed useradd is checked again before it counts.
 */
export async function ensureRunnerUser(
  via: Privilege,
  name: string,
): Promise<{ user: RunnerUser; created: boolean } | { problem: string }> {
  const existing = await lookUpUser(name);
  if (existing) return { user: existing, created: false };
  const added = await asRoot(via, ['useradd', '--create-home', '--user-group', '--shell', '/bin/sh', name]);
  const user = await lookUpUser(name);
  if (!user) return { problem: `could not create the runner user ${name} (${describeFailure(added)})` };
  return { user, created: added.exitCode === 0 };
}

/** The pids of every process of a uid (real or effective), from /proc (readable by anyone). */
export function processesOf(uid: number): number[] {
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return pids;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = fs.readFileSync(`/proc/${entry}/status`, 'utf8');
      const uids = /^Uid:\s+(\d+)\s+(\d+)/m.exec(status);
      const state = /^State:\s+(\w)/m.exec(status)?.[1];
      if (state === 'Z' || state === 'X') continue;
      if (uids && (Number(uids[1]) === uid || Number(uids[2]) === uid)) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface KillReport {
  /** Processes of the runner user found before the first kill. */
  found: number;
  /** Still there after every round (should be 0). */
  left: number;
  /** Rounds that had to start a process (`kill -9 -1` as the user): the kept killer could not. */
  spawned?: number;
}

/**
 * SIGKILLs every process of the runner user, in rounds until none is left: `kill -9 -1` run as
 * that user reaches all of its processes at once (the kernel walks the whole table, so a process
 * that forks in a loop cannot outrun it for long), and nothing of anyone else's.
 */
export async function killRunnerUserProcesses(via: Privilege, user: RunnerUser, rounds = 10): Promise<KillReport> {
  const found = processesOf(user.uid).length;
  if (found === 0) return { found, left: 0, spawned: 0 };
  let spawned = 0;
  for (let round = 0; round < rounds; round += 1) {
    // First without a new process (a full pids limit cannot stop it), else as the user.
    if (!(await killWithoutFork(via, processesOf(user.uid)))) {
      spawned += 1;
      await asRunnerUser(via, user, ['/bin/sh', '-c', 'kill -9 -1 2>/dev/null; exit 0']);
    }
    await sleep(50);
    if (processesOf(user.uid).length === 0) return { found, left: 0, spawned };
  }
  return { found, left: processesOf(user.uid).length, spawned };
}

/** The users whose every process belongs to the runner or a session: the session user's first. */
export function isolatedUsers(isolation: Extract<Isolation, { on: true }>): RunnerUser[] {
  return isolation.session ? [isolation.session, isolation.user] : [isolation.user];
}

/** Processes of the runner user and of the session user. */
export function isolatedProcesses(isolation: Extract<Isolation, { on: true }>): number[] {
  return isolatedUsers(isolation).flatMap((user) => processesOf(user.uid));
}

/**
 * SIGKILLs every process of the session user, then of the runner user (killRunnerUserProcesses
 * for each): at eviction, every process of both users is gone.
 */
export async function killIsolatedProcesses(isolation: Extract<Isolation, { on: true }>): Promise<KillReport> {
  const total: KillReport = { found: 0, left: 0, spawned: 0 };
  for (const user of isolatedUsers(isolation)) {
    const report = await killRunnerUserProcesses(isolation.via, user);
    total.found += report.found;
    total.left += report.left;
    total.spawned = (total.spawned ?? 0) + (report.spawned ?? 0);
  }
  return total;
}

/** The workspace user's own uid and gid. */
export function workspaceIds(): { uid: number; gid: number; name: string } {
  const info = os.userInfo();
  return { uid: info.uid, gid: info.gid, name: info.username };
}
