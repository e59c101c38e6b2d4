import type { PermissionMode } from '../config/inputs.js';
import type { Logger } from '../shared/log.js';
import { PrepareError } from '../shared/errors.js';
import { shellQuote } from '../shared/shell-quote.js';
import { asRoot, describeFailure, ensureRunnerUser, type Privilege, type RunnerUser } from './runner-user.js';
import { checkDedicated, markCreated, refuseByName } from './runner-user-rules.js';
import { findTool } from './system-tools.js';

/**
 * The session user (issue 28): sessions never share a Unix user with their runner. A session
 * that runs as its runner's user can read the runner's secret file and /proc/<runner>/environ,
 * signal it, trace it (where the host lets a user trace its own processes), copy its listener
 * and answer its /healthz, and write its log through it: every check of the runner is then a
 * contest with the session. So every session runs as a second dedicated user, made and checked
 * like the runner user (the module's marker, no sudo, no system uid), `<runner_user>-session`.
 *
 * The switch is made by the per-session wrapper (run by the runner, as the runner user) through
 * one sudo rule that the module writes: the runner user may run exactly the session entry script
 * (the workspace user's, which the runner user cannot change) as the session user, keeping the
 * environment that the runner hands the session (SETENV, `sudo -E`) and fd 3, the activity pipe
 * (`closefrom_override`, `sudo -C 4`); stdin, the control channel, is kept by sudo anyway. sudo
 * stays the session's parent in the session's process group (no pty: `!use_pty`), and relays the
 * runner's SIGTERM to it, so the runner ends a session as it does any other; a SIGKILL reaches
 * sudo only, and the supervisor kills every process of both users when the runner ends. Measured
 * with the real runner 2.1.330: a session then starts, gets its stdin, fd 3 and variables, and
 * the runner interrupts it with SIGTERM through sudo (tests/runner/session-user.test.ts).
 */
export const sessionUserSuffix = '-session';

/** `<runner_user>-session`, shortened to useradd's 32 characters. */
export function sessionUserName(runnerUser: string): string {
  return `${runnerUser.slice(0, 32 - sessionUserSuffix.length)}${sessionUserSuffix}`;
}

/** The module's sudo rule for one runner user (a name without a dot: sudo reads it from sudoers.d). */
export function sudoersFile(runnerUser: string): string {
  return `/etc/sudoers.d/claude-self-hosted-runner-${runnerUser}`;
}

/** The one thing the runner user may run with sudo: the entry, as the session user. */
export function renderSudoersRule(runner: string, session: string, entry: string): string {
  return [
    '# Written by the claude-self-hosted-runner supervisor: the runner starts each session as the',
    '# session user through the session entry, with its environment, stdin and fd 3 (docs/isolation.md).',
    `Defaults:${runner} !use_pty, closefrom_override, !lecture`,
    `${runner} ALL=(${session}) NOPASSWD:SETENV: ${entry}`,
    '',
  ].join('\n');
}

export interface SessionEntryOptions {
  claudeBinary: string;
  permissionMode: PermissionMode;
  session: RunnerUser;
}

/**
 * The session side of the switch, run by sudo as the session user: the session's own home and
 * name, the PATH that the runner gave the session (sudo replaces it with its secure_path), a
 * umask that lets the runner (a member of the session user's group) clean up what the session
 * leaves, then exec claude with a last-wins `--permission-mode`.
 */
export function renderSessionEntry(options: SessionEntryOptions): string {
  const { session } = options;
  return [
    '#!/bin/sh',
    '# Written by the claude-self-hosted-runner supervisor: the session side of the session wrapper.',
    'umask 007',
    'if [ -n "${CSR_SESSION_PATH:-}" ]; then PATH="$CSR_SESSION_PATH"; export PATH; fi',
    'unset CSR_SESSION_PATH SUDO_COMMAND SUDO_USER SUDO_UID SUDO_GID',
    `HOME=${shellQuote(session.home)} USER=${shellQuote(session.name)} LOGNAME=${shellQuote(session.name)}`,
    'export HOME USER LOGNAME',
    `exec ${shellQuote(options.claudeBinary)} "$@" --permission-mode ${shellQuote(options.permissionMode)}`,
    '',
  ].join('\n');
}

/**
 * The runner side, the end of the session wrapper: the runner made the session's folders 0700
 * (its working dir `_sessions/<id>`, the config dir, uploads), so the session user, whose group
 * they have (the base dir is setgid to it), gets the group's access to them first; then sudo.
 */
export function renderSwitchLines(sudo: string, session: string, entry: string): string[] {
  return [
    '# The session runs as the session user: give its group what the runner made for it.',
    'for dir in "$PWD" "${CLAUDE_CONFIG_DIR:-}" "${CLAUDE_STAGE_FILE_ROOT:-}"; do',
    '  if [ -n "$dir" ] && [ -d "$dir" ]; then chmod -R g+rwX -- "$dir" 2>/dev/null; fi',
    'done',
    'chmod g+x -- "$(dirname -- "$PWD")" 2>/dev/null',
    'CSR_SESSION_PATH="$PATH"',
    'export CSR_SESSION_PATH',
    `exec ${shellQuote(sudo)} -n -E -C 4 -u ${shellQuote(session)} -- ${shellQuote(entry)} "$@"`,
  ];
}

export interface SessionSwitch {
  user: RunnerUser;
  /** The entry script's path (in the shared dir) and sudo's. */
  entry: string;
  sudo: string;
}

/**
 * Makes (or finds) the session user, puts the runner user in its group (and in no other: docker
 * access, when on, is the session user's), and writes the sudo rule. Undefined, with the reason,
 * where sudo is missing: sessions then run as the runner user, and the dashboard says so.
 */
export async function prepareSessionUser(
  via: Privilege,
  runner: RunnerUser,
  workspace: { uid: number; name: string },
  entry: string,
  log: Logger,
): Promise<SessionSwitch | { none: string }> {
  const sudo = findTool('sudo');
  const visudo = findTool('visudo');
  if (!sudo || !visudo) return { none: 'no sudo to switch to a session user' };
  const name = sessionUserName(runner.name);
  refuseByName(name, workspace.name);
  const ensured = await ensureRunnerUser(via, name);
  if ('problem' in ensured) throw new PrepareError(ensured.problem.replace('runner user', 'session user'));
  const { user, created } = ensured;
  if (created) {
    const unmarked = await markCreated(via, user);
    if (unmarked) throw new PrepareError(`cannot mark the session user ${user.name} as the module's: ${unmarked}`);
  }
  await checkDedicated(via, user, created, workspace);
  const joined = await asRoot(via, ['usermod', '-G', name, runner.name]);
  if (joined.exitCode !== 0) {
    throw new PrepareError(`cannot put ${runner.name} in the group ${name}: ${describeFailure(joined)}`);
  }
  const file = sudoersFile(runner.name);
  const written = await asRoot(
    via,
    [
      '/bin/sh',
      '-c',
      // sudo ignores names with a dot in sudoers.d, so the temporary file is never read half-written.
      'umask 0337 && cat >"$1.tmp" && "$2" -cqf "$1.tmp" && mv -f -- "$1.tmp" "$1"',
      'sh',
      file,
      visudo,
    ],
    renderSudoersRule(runner.name, name, entry),
  );
  if (written.exitCode !== 0) throw new PrepareError(`cannot write the sudo rule ${file}: ${describeFailure(written)}`);
  log.info({ sessionUser: name, uid: user.uid, created }, 'session user prepared');
  return { user, entry, sudo };
}
