import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { runnerCredential, type SupervisorConfig } from '../config/config.js';
import { writeFileAtomically } from '../shared/atomic-file.js';
import { describeError, PrepareError } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import type { StatePaths } from '../state/paths.js';
import {
  asRoot,
  asRunnerUser,
  describeFailure,
  detectPrivilege,
  ensureRunnerUser,
  hostAllowance,
  noRunnerUser,
  workspaceIds,
  type CommandResult,
  type Isolation,
  type Privilege,
  type RunnerUser,
} from './runner-user.js';
import { checkDedicated, markCreated, refuseByName } from './runner-user-rules.js';
import { giveDockerAccess } from './docker-access.js';
import { keepKillerReady } from './kept-killer.js';
import { prepareSessionUser, sessionUserName, type SessionSwitch } from './session-user.js';

/**
 * Where the runner finds what it needs. Without isolation, everything is in the state dir as
 * before. With it, nothing of the runner's is in the state dir (0700, the workspace user's):
 * - the shared dir `/var/lib/claude-self-hosted-runner/<runner user>` belongs to the workspace
 *   user, 0755: the session wrapper and the git askpass (the runner user can run them but not
 *   change them), and `records/`, a drop box (01733, like /tmp) where the wrapper leaves its lock
 *   record: the runner user can create files there but not list them, and the supervisor sees
 *   each creation at once (inotify), before the session's own code runs;
 * - the runner dir `<runner home>/.claude-self-hosted-runner` belongs to the runner user, 0700:
 *   the environment secret (0400) and the runner's --log-file.
 */
export interface RunnerPaths {
  secretFile: string;
  wrapper: string;
  askpass: string;
  /** The directory the supervisor watches for the wrapper's lock record. */
  recordDir: string;
  lockRecord: string;
  sessionsRecord: string;
  runnerLog: string;
  baseDir: string;
  /** Written by `stop` before its SIGTERM (--drain-marker-file): readable by the runner, not by sessions' writes. */
  drainMarker: string;
  /** The session side of the wrapper, run as the session user (workspace/session-user.ts); isolation only. */
  sessionEntry?: string;
}

/** What `start` found and prepared, kept in the state dir for the detached supervisor and `status`. */
export interface IsolationRecord {
  isolation: Isolation;
  paths: RunnerPaths;
}

export const sharedRoot = '/var/lib/claude-self-hosted-runner';

export function isolationFile(paths: Pick<StatePaths, 'stateDir'>): string {
  return path.join(paths.stateDir, 'isolation.json');
}

function sharedPaths(user: RunnerUser, baseDir: string): RunnerPaths {
  const shared = path.join(sharedRoot, user.name);
  const runnerDir = path.join(user.home, '.claude-self-hosted-runner');
  const recordDir = path.join(shared, 'records');
  return {
    secretFile: path.join(runnerDir, 'environment-secret'),
    wrapper: path.join(shared, 'session-wrapper.sh'),
    askpass: path.join(shared, 'git-askpass.sh'),
    recordDir,
    lockRecord: path.join(recordDir, 'locked'),
    sessionsRecord: path.join(recordDir, 'sessions'),
    runnerLog: path.join(runnerDir, 'logs', 'runner.log'),
    baseDir,
    drainMarker: path.join(shared, 'drain-marker'),
    sessionEntry: path.join(shared, 'session-entry.sh'),
  };
}

export function unisolatedPaths(config: { baseDir?: string }, paths: StatePaths): RunnerPaths {
  return {
    secretFile: paths.secretFile,
    wrapper: paths.wrapper,
    askpass: paths.askpass,
    recordDir: paths.stateDir,
    lockRecord: paths.lockedFlag,
    sessionsRecord: paths.sessionsFile,
    runnerLog: paths.runnerLog,
    baseDir: config.baseDir ?? '',
    drainMarker: paths.drainMarker,
  };
}

/** The isolation that `start` prepared; "off (not prepared)" when there is no record. */
export function readIsolationRecord(config: { baseDir?: string }, paths: StatePaths): IsolationRecord {
  try {
    const parsed = JSON.parse(fs.readFileSync(isolationFile(paths), 'utf8')) as IsolationRecord;
    if (typeof parsed.isolation?.on === 'boolean' && typeof parsed.paths?.secretFile === 'string') return parsed;
  } catch {
    // Missing or torn: not prepared.
  }
  return { isolation: { on: false, reason: 'not prepared' }, paths: unisolatedPaths(config, paths) };
}

/**
 * The runner's base dir under isolation: the configured one, unless it lies in the workspace
 * user's home (the default `$HOME/workspace`), which the runner user must not reach: then
 * `<runner home>/workspace`.
 */
export function isolatedBaseDir(
  configured: string,
  workspaceHome: string | undefined,
  user: RunnerUser,
  sessionUser = false,
): string {
  if (workspaceHome) {
    const relative = path.relative(workspaceHome, configured);
    if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
      // The session user must reach it, and never the runner's home (0700): then the shared dir.
      return sessionUser ? path.join(sharedRoot, user.name, 'workspace') : path.join(user.home, 'workspace');
    }
  }
  return configured;
}

async function must(what: string, result: Promise<CommandResult>): Promise<void> {
  const done = await result;
  if (done.exitCode !== 0) throw new PrepareError(`${what} failed: ${describeFailure(done)}`);
}

/**
 * Makes the base dir the runner user's (0700), refusing a symbolic link. With a session user,
 * the base dir has the session user's group, setgid, and the group may only pass (02710): what
 * the runner makes inside gets that group, and the wrapper opens a session's folders to it.
 */
async function prepareBaseDir(via: Privilege, user: RunnerUser, baseDir: string, session?: RunnerUser): Promise<void> {
  if (session) {
    let existing: fs.Stats | undefined;
    try {
      existing = fs.lstatSync(baseDir);
    } catch {
      existing = undefined;
    }
    if (existing?.isSymbolicLink())
      throw new PrepareError(`the runner base dir ${baseDir} is a symbolic link; refusing it`);
    await must(
      `giving the base dir ${baseDir} to ${user.name} and the group ${session.name}`,
      asRoot(via, ['install', '-d', '-o', String(user.uid), '-g', String(session.gid), '-m', '02710', baseDir]),
    );
    return;
  }
  if (baseDir.startsWith(`${user.home}/`)) {
    // Inside the runner's own home: made as the runner user, so no link it planted is followed as root.
    await must(
      `creating the base dir ${baseDir} as ${user.name}`,
      asRunnerUser(via, user, ['/bin/sh', '-c', 'umask 077 && mkdir -p -- "$1" && chmod 0700 -- "$1"', 'sh', baseDir]),
    );
    return;
  }
  let stat: fs.Stats | undefined;
  try {
    stat = fs.lstatSync(baseDir);
  } catch {
    stat = undefined;
  }
  if (stat?.isSymbolicLink()) throw new PrepareError(`the runner base dir ${baseDir} is a symbolic link; refusing it`);
  if (stat && stat.uid === user.uid) return;
  await must(
    `giving the base dir ${baseDir} to ${user.name}`,
    asRoot(via, ['install', '-d', '-o', String(user.uid), '-g', String(user.gid), '-m', '0700', baseDir]),
  );
}

/**
 * Writes the environment secret as the runner user (0400, in its 0700 runner dir). The secret
 * travels on stdin, never on argv.
 */
async function writeRunnerSecret(via: Privilege, user: RunnerUser, file: string, secret: string): Promise<void> {
  const script = [
    'umask 077',
    'dir=$(dirname -- "$1")',
    'mkdir -p -- "$dir" "$dir/logs" && chmod 0700 -- "$dir" "$dir/logs"',
    'tmp="$1.tmp.$$"',
    'cat >"$tmp" && chmod 0400 -- "$tmp" && mv -f -- "$tmp" "$1"',
  ].join(' && ');
  await must(
    `writing the environment secret as ${user.name}`,
    asRunnerUser(via, user, ['/bin/sh', '-c', script, 'sh', file], `${secret}\n`),
  );
}

export interface IsolationInputs {
  config: SupervisorConfig;
  paths: StatePaths;
  log: Logger;
  workspaceHome: string | undefined;
  /** Writes the wrapper and askpass into the directory the runner will run them from. */
  writeScripts: (runnerPaths: RunnerPaths, session: SessionSwitch | undefined) => Promise<void>;
}

function off(config: SupervisorConfig, paths: StatePaths, reason: string): IsolationRecord {
  return { isolation: { on: false, reason }, paths: unisolatedPaths(config, paths) };
}

/**
 * Decides and prepares the isolation at start: the runner user (created when missing), its
 * base dir, secret file, runner dir and git askpass; the shared dir with the wrapper and the
 * drop box; the docker group. Every step is idempotent. Without root or sudo, isolation is off
 * and says why.
 */
export async function prepareIsolation(inputs: IsolationInputs): Promise<IsolationRecord> {
  const { config, paths, log } = inputs;
  if (config.runnerUser === noRunnerUser) return off(config, paths, `runner_user = ${noRunnerUser}`);
  const privilege = await detectPrivilege();
  if (typeof privilege !== 'string') return off(config, paths, privilege.none);
  const via = privilege;
  const me = workspaceIds();
  refuseByName(config.runnerUser, me.name);
  const ensured = await ensureRunnerUser(via, config.runnerUser);
  if ('problem' in ensured) throw new PrepareError(ensured.problem);
  const { user, created } = ensured;
  if (created) {
    const unmarked = await markCreated(via, user);
    if (unmarked) throw new PrepareError(`cannot mark the runner user ${user.name} as the module's: ${unmarked}`);
  }
  const entry = path.join(sharedRoot, user.name, 'session-entry.sh');
  await checkDedicated(via, user, created, me, { session: sessionUserName(user.name), entry });
  if (via === 'sudo') {
    // The runner keeps the environment the supervisor gives it: sudo must allow -E for this user.
    const probe = await execa('sudo', ['-n', '-E', '-u', user.name, '--', 'true'], { reject: false, stdin: 'ignore' });
    if (probe.exitCode !== 0) {
      throw new PrepareError(
        `sudo cannot run commands as ${user.name} with the environment kept (sudo -n -E -u ${user.name}): ${String(probe.stderr).slice(0, 200)}`,
      );
    }
  }
  // Its home is its own and nobody else's to read.
  await must(`closing ${user.home}`, asRunnerUser(via, user, ['chmod', '0700', user.home]));
  // Sessions run as a user of their own (workspace/session-user.ts) wherever sudo is there.
  const switched = await prepareSessionUser(via, user, me, entry, log);
  const session = 'none' in switched ? undefined : switched;
  if ('none' in switched) log.warn({ reason: switched.none }, 'sessions run as the runner user');
  const baseDir = isolatedBaseDir(config.baseDir, inputs.workspaceHome, user, session !== undefined);
  const runnerPaths = sharedPaths(user, baseDir);
  const shared = path.dirname(runnerPaths.wrapper);
  await must(`creating ${sharedRoot}`, asRoot(via, ['install', '-d', '-m', '0755', sharedRoot]));
  await must(
    `creating ${shared}`,
    asRoot(via, ['install', '-d', '-o', String(me.uid), '-g', String(me.gid), '-m', '0755', shared]),
  );
  if (session) {
    // Only the runner user (the wrapper, before it switches) writes there, never a session: the
    // box is 01730 with the runner user's group, so a session can neither plant nor flood it.
    await must(
      `creating the record drop box ${runnerPaths.recordDir}`,
      asRoot(via, [
        'install',
        '-d',
        '-o',
        String(me.uid),
        '-g',
        String(user.gid),
        '-m',
        '01730',
        runnerPaths.recordDir,
      ]),
    );
  } else {
    try {
      fs.mkdirSync(runnerPaths.recordDir, { recursive: true });
      fs.chmodSync(runnerPaths.recordDir, 0o1733);
    } catch (error) {
      throw new PrepareError(`cannot create the record drop box ${runnerPaths.recordDir}: ${describeError(error)}`);
    }
  }
  await inputs.writeScripts(runnerPaths, session);
  const credential = runnerCredential(config);
  if (credential) await writeRunnerSecret(via, user, runnerPaths.secretFile, credential);
  // A prebuild that waits for its work order keeps no credential at all.
  else await must('removing a stale secret file', asRunnerUser(via, user, ['rm', '-f', '--', runnerPaths.secretFile]));
  await prepareBaseDir(via, user, baseDir, session?.user);
  if (config.gitBotToken) {
    for (const gitUser of session ? [user, session.user] : [user]) {
      for (const args of [
        ['core.askPass', runnerPaths.askpass],
        ['credential.helper', ''],
      ]) {
        const result = await asRunnerUser(via, gitUser, ['git', 'config', '--global', ...args]);
        if (result.exitCode !== 0) log.warn({ args: args.slice(0, 1), user: gitUser.name }, 'git config failed');
      }
    }
  }
  // Docker is the sessions' business: the session user's groups, when there is one (the runner
  // user's only group beside its own is then the session user's, set above).
  const docker = await giveDockerAccess(
    via,
    session?.user ?? user,
    config.runnerDockerAccess ? config.dockerSocket : undefined,
    log,
  );
  // A secret file from a run without isolation must not stay where the supervisor keeps its own.
  fs.rmSync(paths.secretFile, { force: true });
  // Ready before any session can fill a pids limit: the kills need no new process then.
  keepKillerReady(via);
  const record: IsolationRecord = {
    isolation: {
      on: true,
      via,
      user,
      created,
      docker,
      host: hostAllowance(docker),
      ...(session ? { session: session.user } : { sessionsAsRunner: 'none' in switched ? switched.none : '' }),
    },
    paths: runnerPaths,
  };
  log.info(
    { runnerUser: user.name, uid: user.uid, sessionUser: session?.user.name, via, created, baseDir },
    'isolation prepared',
  );
  return record;
}

export function saveIsolationRecord(paths: StatePaths, record: IsolationRecord): void {
  writeFileAtomically(isolationFile(paths), `${JSON.stringify(record, null, 2)}\n`, 0o600);
}
